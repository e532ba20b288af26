// A stand-in for an old Node (18.19.0) for kernel-start tests: it answers its version and refuses the kernel's flags, as Node 18 does.
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Write the stand-in into `folder` and return its path (POSIX shell script). */
export function fakeOldNode(folder: string): string {
  const path = join(folder, "node18");
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = "-p" ]; then echo 18.19.0; exit 0; fi\necho "$0: bad option: --experimental-import-meta-resolve" >&2\nexit 9\n`);
  chmodSync(path, 0o755);
  return path;
}
