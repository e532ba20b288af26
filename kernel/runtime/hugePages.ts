// Asks glibc's malloc (Linux) to back a kernel's large blocks with transparent huge pages: fewer first touches of memory while TypeScript loads.
//
// Where a first touch of a page is slow (~17 us a 4 KB page on the VMs we measure on), reading
// TypeScript's 9 MB source and making it a string costs ~4,400 touches. With the tunable
// `glibc.malloc.hugetlb=1` (glibc >= 2.35; other C libraries and older glibc ignore it) malloc
// advises the kernel to use 2 MB pages for its large blocks (the 9 MB buffer and string among
// them), and the same work touched ~900 pages: TypeScript loaded in ~215 ms instead of ~290
// (interleaved, this machine). V8's own heap is not malloc'd and is unaffected.
//
// A client sets it for the process it starts; that process drops it from its own environment at
// once, so what cells start (a Python script, a shell) runs as the user set it up.
// MLNB_HUGE_PAGES=off, or a GLIBC_TUNABLES that already names the tunable, leaves it alone. Jupyter's
// kernelspec sets it for the front end process in its `env` (edit kernel.json to leave it out).

const TUNABLE = "glibc.malloc.hugetlb";
const ADDED = "MLNB_HUGE_PAGES_ADDED";

/** `env` for a kernel process to start: with the tunable added to GLIBC_TUNABLES (see above). */
export function withHugePages(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.MLNB_HUGE_PAGES === "off" || process.platform !== "linux") return env;
  const tunables = env.GLIBC_TUNABLES ?? "";
  if (tunables.split(":").some((t) => t.startsWith(`${TUNABLE}=`))) return env;
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${TUNABLE}=1` : `${TUNABLE}=1`, [ADDED]: "1" };
}

/** The environment variables a kernelspec sets for the process Jupyter starts (its own GLIBC_TUNABLES, if any, would be replaced: Jupyter does not append). */
export function hugePagesSpecEnv(): Record<string, string> {
  return process.platform === "linux" ? { GLIBC_TUNABLES: `${TUNABLE}=1`, [ADDED]: "1" } : {};
}

/** In a process started with `withHugePages`: GLIBC_TUNABLES as it was before (glibc read it at start; children should not). */
export function dropAddedHugePages(env: NodeJS.ProcessEnv = process.env): void {
  if (env[ADDED] !== "1") return;
  delete env[ADDED];
  const rest = (env.GLIBC_TUNABLES ?? "").split(":").filter((t) => t && t !== `${TUNABLE}=1`);
  if (rest.length > 0) env.GLIBC_TUNABLES = rest.join(":");
  else delete env.GLIBC_TUNABLES;
}
