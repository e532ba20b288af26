// The Node a kernel needs, and the line a kernel that cannot start writes: light enough for every client to load.

/** The oldest Node the kernel runs on (package.json "engines"). */
export const MIN_NODE = "20.19.0";

/** The line a kernel that cannot start writes to stderr before exiting with START_FAILURE_EXIT. */
export const START_FAILURE_MARK = "mlnb: the kernel cannot start: ";
export const START_FAILURE_EXIT = 3;

/** True when version `v` ("20.19.0" or "v20.19.0") is at least `min`. */
export function atLeast(v: string, min: string): boolean {
  const a = v.replace(/^v/, "").split(".").map((x) => Number.parseInt(x, 10) || 0);
  const b = min.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i]!;
  return true;
}

/** The message for a Node older than MIN_NODE, naming the executable and what to do. */
export function nodeTooOld(nodePath: string, version: string): string {
  return `mlnb's kernel needs Node >= ${MIN_NODE}, and ${nodePath} is Node ${version.replace(/^v/, "")}. Install Node ${MIN_NODE.split(".").slice(0, 2).join(".")} or newer (https://nodejs.org), or point the setting mlnb.nodePath at one.`;
}
