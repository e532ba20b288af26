// A socket path only this user can reach: a named pipe on Windows, else `check.sock` in a fresh folder of its own (mkdtemp makes it 0700).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A private socket path and how to remove what was made for it. */
export interface PrivateSocket {
  path: string;
  dispose(): void;
}

/** A fresh private socket path; undefined when there is no place for one (no writable temp folder). */
export function privateSocket(name: string): PrivateSocket | undefined {
  if (process.platform === "win32") return { path: `\\\\.\\pipe\\mlnb-${name}-${randomBytes(8).toString("hex")}`, dispose: () => {} };
  try {
    const dir = mkdtempSync(join(tmpdir(), "mlnb-"));
    return { path: join(dir, `${name}.sock`), dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch {
    return undefined;
  }
}
