// What the extension needs of a kernel connection; kernel/client.ts provides it (kept as an interface so the controller is testable).
import type { ExecStatus, ExecuteOptions, Reply, TypeCheckMode } from "../kernel/protocol.js";

export interface ExecuteOutcome {
  status: ExecStatus;
  executionCount: number;
}

/** One running kernel process. */
export interface KernelConnection {
  execute(code: string, opts: { cellId?: string; options?: ExecuteOptions }, onReply: (reply: Reply) => void): Promise<ExecuteOutcome>;
  interrupt(): void;
  shutdown(): Promise<void> | void;
  /** A request that is not cell code (stale stages, upstream of a stage...). */
  command?(command: string, args?: Record<string, unknown>): Promise<unknown>;
  on(event: "exit", listener: (code: number | null, signal: string | null) => void): unknown;
  /** An error that escaped a finished cell (see the "fault" reply in kernel/protocol.ts). */
  on(event: "fault", listener: (fault: Extract<Reply, { type: "fault" }>) => void): unknown;
}

export interface KernelStartOptions {
  notebookPath: string;
  nodePath?: string;
  env?: Record<string, string>;
  typeCheck?: TypeCheckMode;
}

/** Starts a kernel for a notebook (the real one spawns `node out/kernel/server.js`). */
export type KernelFactory = (options: KernelStartOptions) => Promise<KernelConnection>;
