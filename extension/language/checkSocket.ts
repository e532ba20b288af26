// The socket the language server serves kernels' type checks on (kernel/lang/checkServer.ts): one per window, in a private folder removed at the end.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The environment that points the language server and the kernels at one check socket, and its cleanup. */
export interface CheckSocket {
  env: Record<string, string>;
  dispose(): void;
}

/** A fresh socket path for this window; without a place for it, no socket (kernels then check on their own thread). */
export function createCheckSocket(): CheckSocket {
  if (process.platform === "win32") return { env: { MLNB_CHECK_SOCKET: `\\\\.\\pipe\\mlnb-check-${randomBytes(8).toString("hex")}` }, dispose: () => {} };
  try {
    // mkdtemp makes the folder readable by this user only, so no one else can reach the socket.
    const dir = mkdtempSync(join(tmpdir(), "mlnb-"));
    return { env: { MLNB_CHECK_SOCKET: join(dir, "check.sock") }, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch {
    return { env: {}, dispose: () => {} };
  }
}
