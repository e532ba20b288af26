// `mlnb run NB.mlnb`: runs every code cell headless in one kernel, prints outputs, writes the executed notebook.
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { KernelClient } from "../client.js";
import { parseNotebook, serializeNotebook, NotebookFormatError } from "../notebook/format.js";
import { writeFileAtomic } from "../notebook/write.js";
import { OutputCollector, outputText } from "../notebook/outputs.js";
import type { Reply, TypeCheckMode } from "../protocol.js";
import { commandWithFile } from "./args.js";

const HELP = `usage: mlnb run NOTEBOOK.mlnb [options]

Runs every code cell in order in one kernel, prints each cell's outputs as text and writes
the executed notebook. Exits non-zero at the first failing cell, naming it.

options:
  --out FILE          where to write the executed notebook (default: NOTEBOOK.out.mlnb beside it)
  --no-write          do not write the executed notebook
  -p, --param k=v     override a %%params value (repeatable)
  --no-cache          run every stage even if a cached execution matches
  --type-check MODE   error | warn | off (default: error)
  --quiet             print only errors and the summary`;

/** Entry point of `mlnb run`. */
export async function main(argv: string[]): Promise<number> {
  const cmd = commandWithFile("run", HELP, argv, ["out", "type-check"]);
  if (typeof cmd === "number") return cmd;
  const { args, file } = cmd;
  const typeCheck = (args.values.get("type-check") ?? "error") as TypeCheckMode;
  if (!["error", "warn", "off"].includes(typeCheck)) {
    console.error(`mlnb run: --type-check must be error, warn or off, got ${typeCheck}`);
    return 2;
  }
  const path = resolve(file);
  let nb;
  try {
    nb = parseNotebook(readFileSync(path, "utf8"), file);
  } catch (e) {
    console.error(`mlnb run: ${e instanceof NotebookFormatError ? e.message : `cannot read ${file}: ${(e as Error).message}`}`);
    return 1;
  }
  const quiet = args.flags.has("quiet");
  const kernel = await KernelClient.start({ notebookPath: path, typeCheck });
  let failed: string | undefined;
  const started = Date.now();
  // Execution id -> the cell's label and outputs, so an error that escapes a finished cell
  // (a throw in a timer) is printed naming it and saved with its outputs.
  const byExecution = new Map<string, { label: string; collector: OutputCollector }>();
  let current: { label: string; collector: OutputCollector } | undefined;
  kernel.on("fault", (fault: Extract<Reply, { type: "fault" }>) => {
    const owner = (fault.id ? byExecution.get(fault.id) : undefined) ?? current;
    const out = owner?.collector.add({ type: "error", id: fault.id ?? "", error: fault.error });
    process.stderr.write(`\nmlnb run: ${owner ? `${owner.label}: ` : ""}${out ? outputText(out) : `${fault.error.name}: ${fault.error.message}\n`}`);
  });
  const stopSignals = interruptOnCtrlC(kernel);
  try {
    let index = 0;
    for (const cell of nb.cells) {
      index++;
      if (cell.kind !== "code" || !cell.source.trim()) continue;
      const label = `cell ${index}${stageName(cell.source) ? ` (stage ${stageName(cell.source)})` : ""}`;
      if (!quiet) process.stdout.write(`\n── ${label} ${"─".repeat(Math.max(0, 60 - label.length))}\n`);
      const collector = new OutputCollector();
      current = { label, collector };
      const result = await kernel.execute(cell.source, { cellId: String(index), options: { typeCheck, noCache: args.flags.has("no-cache"), params: args.params } }, (reply) => {
        if ("id" in reply && reply.id && !byExecution.has(reply.id)) byExecution.set(reply.id, current!);
        const out = collector.add(reply);
        if (!out) return;
        if (reply.type === "error") process.stderr.write(outputText(out));
        else if (!quiet && reply.type !== "display") process.stdout.write(reply.type === "stream" ? reply.text : outputText(out));
        else if (!quiet && reply.type === "display" && reply.displayId === undefined) process.stdout.write(outputText(out));
      });
      collector.setExecutionCount(result.executionCount);
      cell.outputs = collector.outputs;
      cell.executionCount = result.executionCount || null;
      if (result.status !== "ok") {
        failed = `${label} of ${file} failed${result.status === "interrupted" ? " (interrupted)" : ""}`;
        break;
      }
    }
  } finally {
    stopSignals();
    await kernel.shutdown();
  }
  if (!args.flags.has("no-write")) {
    const out = args.values.get("out") ?? join(dirname(path), `${basename(path, ".mlnb")}.out.mlnb`);
    writeFileAtomic(out, serializeNotebook(nb));
    if (!quiet) console.log(`\nwrote ${out}`);
  }
  if (failed) {
    console.error(`\nmlnb run: ${failed}`);
    return 1;
  }
  console.log(`mlnb run: ${file} ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

/**
 * Ctrl-C interrupts the running cell, as in Jupyter; if that has not stopped it (code outside
 * cell loops: a regex, a native sort, a loop in an imported module), a second Ctrl-C ends the
 * kernel and the run. SIGTERM ends both at once. Returns a function removing the handlers.
 */
function interruptOnCtrlC(kernel: KernelClient): () => void {
  let interrupted = false;
  const onInt = () => {
    if (interrupted) {
      process.stderr.write("\nmlnb run: second Ctrl-C: stopping the kernel\n");
      kernel.kill();
      process.exit(130);
    }
    interrupted = true;
    process.stderr.write("\nmlnb run: interrupting the running cell (Ctrl-C again to stop the kernel)\n");
    kernel.interrupt();
  };
  // Once the interrupted cell is done, the next Ctrl-C interrupts again rather than stopping.
  const onReply = (r: Reply) => {
    if (r.type === "done") interrupted = false;
  };
  kernel.on("reply", onReply);
  const onTerm = () => {
    kernel.kill();
    process.exit(143);
  };
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return () => {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    kernel.off("reply", onReply);
  };
}

function stageName(source: string): string | undefined {
  return /^\s*%%stage\s+([\w-]+)/.exec(source)?.[1];
}
