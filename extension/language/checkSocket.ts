// The socket the language server serves kernels' type checks on (kernel/lang/checkServer.ts): one per window, in a private folder removed at the end.
import { privateSocket } from "../../kernel/runtime/privateSocket.js";

/** The environment that points the language server and the kernels at one check socket, and its cleanup. */
export interface CheckSocket {
  env: Record<string, string>;
  dispose(): void;
}

/** A fresh socket path for this window; without a place for it, no socket (kernels then check on their own thread). */
export function createCheckSocket(): CheckSocket {
  const socket = privateSocket("check");
  return socket ? { env: { MLNB_CHECK_SOCKET: socket.path }, dispose: socket.dispose } : { env: {}, dispose: () => {} };
}
