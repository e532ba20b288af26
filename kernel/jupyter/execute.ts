// execute_request: runs the code in the mlnb session and turns its replies into Jupyter iopub messages.
import type { KernelClient } from "../client.js";
import type { ErrorInfo, ExecStatus, Reply } from "../protocol.js";
import type { Channels } from "./channels.js";
import type { Message } from "./wire.js";

export interface ExecuteOutcome {
  status: ExecStatus;
  error?: ErrorInfo;
}

/** The traceback Jupyter shows: the message, then the stack whose cell frames carry cell line numbers. */
export function traceback(e: ErrorInfo): string[] {
  const head = `${e.name}: ${e.message}`;
  if (!e.stack) return e.line !== undefined ? [head, `    at line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ""}`] : [head];
  const lines = e.stack.split("\n");
  // V8 stacks start with "Name: message"; keep one copy of it.
  return lines[0]?.startsWith(`${e.name}:`) ? lines : [head, ...lines];
}

/**
 * The cell id the session files the code under: the client's (JupyterLab sends `cellId`),
 * else one per stage or params cell so re-running it replaces it, else a fresh one.
 */
export function cellIdFor(code: string, metadata: Record<string, unknown>, count: number): string {
  for (const key of ["cellId", "cell_id"]) if (typeof metadata[key] === "string" && metadata[key]) return metadata[key] as string;
  const stage = /^\s*%%stage\s+([\w-]+)/.exec(code)?.[1];
  if (stage) return `jupyter-stage-${stage}`;
  if (/^\s*%%params\b/.test(code)) return "jupyter-params";
  return `jupyter-${count}`;
}

/**
 * Run `code` in the session, publishing its outputs as children of `parent` (none when silent).
 * Displays with an id are display_data the first time and update_display_data after.
 */
export async function runInSession(
  kernel: KernelClient,
  channels: Channels,
  parent: Message,
  code: string,
  opts: { silent: boolean; cellId: string; executionCount: number; shownDisplays: Set<string>},
): Promise<ExecuteOutcome & { result?: Record<string, unknown> }> {
  const pending: Promise<void>[] = [];
  let error: ErrorInfo | undefined;
  let result: Record<string, unknown> | undefined;
  const publish = (type: string, content: Record<string, unknown>) => {
    if (!opts.silent) pending.push(channels.publish(parent, type, content));
  };
  const onReply = (reply: Reply) => {
    switch (reply.type) {
      case "stream":
        publish("stream", { name: reply.name, text: reply.text });
        break;
      case "display": {
        const id = reply.displayId;
        const transient = id !== undefined ? { display_id: id } : {};
        const update = id !== undefined && opts.shownDisplays.has(id);
        if (id !== undefined) opts.shownDisplays.add(id);
        publish(update ? "update_display_data" : "display_data", { data: reply.data, metadata: {}, transient });
        break;
      }
      case "result":
        result = reply.data;
        publish("execute_result", { data: reply.data, metadata: {}, execution_count: opts.executionCount });
        break;
      case "error":
        error = reply.error;
        publish("error", { ename: reply.error.name, evalue: reply.error.message, traceback: traceback(reply.error) });
        break;
    }
  };
  const done = await kernel.execute(code, { cellId: opts.cellId, options: { ...(process.env.MLNB_TYPECHECK ? { typeCheck: process.env.MLNB_TYPECHECK as "error" } : {}) } }, onReply);
  await Promise.all(pending);
  return { status: done.status, error, result };
}
