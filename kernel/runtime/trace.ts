// Start-up timing marks across the CLI and its kernel: appended to the file MLNB_TRACE names (off when unset).
//
// Each line is `<epoch ms> <pid> <name>`, the time taken from this process's clock origin
// (performance.timeOrigin), so the marks of the CLI and the kernel it spawned line up on one time
// axis. `bench rerun` reads them to say where a warm `mlnb run` spends its time.
import { appendFileSync } from "node:fs";

const FILE = process.env.MLNB_TRACE;
let started = false;

/** Record that the process reached `name` now (the first mark of a process also records its start, and its exit when it comes). */
export function mark(name: string): void {
  if (!FILE) return;
  try {
    let text = "";
    if (!started) {
      started = true;
      text += `${performance.timeOrigin.toFixed(1)} ${process.pid} process start\n`;
      process.once("exit", () => mark("process exit"));
    }
    appendFileSync(FILE, `${text}${(performance.timeOrigin + performance.now()).toFixed(1)} ${process.pid} ${name}\n`);
  } catch {
    // A trace file that cannot be written means no trace, never a failed run.
  }
}

/** One parsed trace line. */
export interface TraceMark {
  at: number;
  pid: number;
  name: string;
}

/** Parse the text of a trace file, in time order. */
export function parseTrace(text: string): TraceMark[] {
  const marks: TraceMark[] = [];
  for (const line of text.split("\n")) {
    const m = /^(\d+(?:\.\d+)?) (\d+) (.+)$/.exec(line);
    if (m) marks.push({ at: Number(m[1]), pid: Number(m[2]), name: m[3]! });
  }
  return marks.sort((a, b) => a.at - b.at);
}
