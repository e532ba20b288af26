// Finds the Node runtime for the kernel: setting mlnb.nodePath, else `node` on PATH, else VS Code's own runtime (pure, no `vscode`).
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** How to start Node: the executable and the extra environment it needs. */
export interface NodeCommand {
  nodePath: string;
  env: Record<string, string>;
  /** Where it came from, for the log and error messages. */
  source: "setting" | "PATH" | "vscode";
}

/** Full path of an executable `name` in a PATH string, or undefined. */
export function findOnPath(name: string, pathEnv: string | undefined, exts: string[] = process.platform === "win32" ? [".exe", ".cmd", ""] : [""]): string | undefined {
  for (const dir of (pathEnv ?? "").split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
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
