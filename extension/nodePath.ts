// Finds the Node runtime for the kernel: setting mlnb.nodePath, else `node` on PATH, else VS Code's own runtime (pure, no `vscode`).
import { findOnPath } from "../kernel/cli/onPath.js";

export { findOnPath };

/** How to start Node: the executable and the extra environment it needs. */
export interface NodeCommand {
  nodePath: string;
  env: Record<string, string>;
  /** Where it came from, for the log and error messages. */
  source: "setting" | "PATH" | "vscode";
}

/**
 * The Node to run the kernel with. An explicit setting wins; then `node` on PATH; then the
 * editor's own executable run as plain Node (ELECTRON_RUN_AS_NODE), which every VS Code has.
 */
export function resolveNodeCommand(setting: string | undefined, pathEnv: string | undefined, execPath: string): NodeCommand {
  const configured = setting?.trim();
  if (configured) return { nodePath: configured, env: {}, source: "setting" };
  const onPath = findOnPath("node", pathEnv);
  if (onPath) return { nodePath: onPath, env: {}, source: "PATH" };
  return { nodePath: execPath, env: { ELECTRON_RUN_AS_NODE: "1" }, source: "vscode" };
}
