// Finds an executable on a PATH string (used by the CLI's printed hints and by the extension's choice of Node).
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

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
 * How the user's shell should start the CLI in a printed hint: `mlnb` when an `mlnb` is on PATH
 * (a global install, or VS Code's integrated terminal, where the extension puts one), else
 * `npx mlnb` (a project that has mlnb in its node_modules).
 */
export function cliInvocation(pathEnv: string | undefined = process.env.PATH): string {
  return findOnPath("mlnb", pathEnv) ? "mlnb" : "npx mlnb";
}
