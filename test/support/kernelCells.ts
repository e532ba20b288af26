// Test helpers for kernels under test: run a cell and read its outcome, read the kernel's timing marks, wait for a condition.
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { KernelClient } from "../../kernel/client.js";
import type { Reply } from "../../kernel/protocol.js";
import { parseTrace } from "../../kernel/runtime/trace.js";

/** Run cells on `client` (ids c1, c2, ...): each gives its status, error text and text/plain result. */
export function cellRunner(client: KernelClient): (code: string) => Promise<{ status: string; error?: string; result?: unknown }> {
  let n = 0;
  return async (code) => {
    const replies: Reply[] = [];
    const r = await client.execute(code, { cellId: `c${++n}` }, (reply) => replies.push(reply));
    const error = replies.find((x): x is Extract<Reply, { type: "error" }> => x.type === "error")?.error.message;
    const result = replies.find((x): x is Extract<Reply, { type: "result" }> => x.type === "result")?.data["text/plain"];
    return { status: r.status, error, result };
  };
}

/** The names of the marks process `pid` wrote to the trace file `trace` (MLNB_TRACE), in order. */
export function traceMarks(trace: string, pid: number | undefined): string[] {
  return existsSync(trace) ? parseTrace(readFileSync(trace, "utf8")).filter((m) => m.pid === pid).map((m) => m.name) : [];
}

/** Wait until `ok()` holds, or fail naming `what` after `ms`. */
export async function until(what: string, ok: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
