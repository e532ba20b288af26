// Hosts a kernel's type checker in the process that starts the kernel (Jupyter's front end): a checker thread here, reached by the kernel over a private socket.
//
// The thread starts when the host does, before the kernel process exists: TypeScript loads and
// the libraries parse while the kernel boots, where a thread of the kernel's own could start only
// once its process had (~250 ms later here). The kernel connects first thing, as it does to the
// language server in VS Code (MLNB_CHECK_SOCKET, kernel/exec/checkerPrestart.ts), and its requests
// go to the thread unchanged. One kernel per host: the host ends when that kernel's connection
// closes, or when the host is closed. If the thread dies, the connection closes and the kernel
// checks on a thread of its own (kernel/exec/checker.ts takes over).
import { createServer, type Socket } from "node:net";
import { LineDecoder } from "../protocol.js";
import { privateSocket } from "../runtime/privateSocket.js";
import type { CheckReply, CheckRequest } from "./checker.js";
import { warmsChecker } from "./checkerPrestart.js";
import { daemonListening, daemonPlace, startDaemon, DAEMON_HOST } from "./checkDaemonPlace.js";
import { checkerThread, type CheckPort } from "./checkPort.js";

/** A hosted checker: the environment that points a kernel at it, and how to end it. */
export interface CheckHost {
  env: Record<string, string>;
  close(): void;
}

/** The hosts of this process not yet closed: a process that exits removes their socket folders. */
const open = new Set<() => void>();
let exitHooked = false;
function closeAll(): void {
  for (const close of [...open]) close();
}

/** Whether a kernel started with `env` checks cells and warms its checker (else hosting one would be wasted work). */
export function wantsChecker(env: NodeJS.ProcessEnv): boolean {
  return warmsChecker(env) && !env.MLNB_CHECK_SOCKET;
}

/** Start a checker thread for a notebook in `notebookDir` and serve it to one kernel; undefined when no private socket can be made. */
export function hostChecker(notebookDir: string): CheckHost | undefined {
  // A checker daemon alive for this build is warm already: the kernel goes there and nothing is hosted.
  const daemon = daemonPlace();
  if (daemon && daemonListening(daemon)) return { env: { MLNB_CHECK_SOCKET: daemon.socket, MLNB_CHECK_HOST: DAEMON_HOST }, close: () => {} };
  const socket = privateSocket("check");
  if (!socket) return undefined;
  const thread = checkerThread({ notebookDir, warmNow: true });
  thread.unref(); // a host never keeps its process alive
  // None alive: one starts once this thread answered, for the sessions after this one.
  if (daemon) thread.once("message", () => setImmediate(() => startDaemon(daemon, notebookDir)));
  let kernel: Socket | undefined;
  let closed = false;
  const server = createServer((conn) => {
    if (kernel || closed) return void conn.destroy(); // one kernel per host
    kernel = conn;
    // Connected: the path is no longer needed, so a host killed later (Jupyter's hard shutdown) leaves no folder behind.
    socket.dispose();
    bridge(conn, thread, close);
  });
  server.on("error", () => close());
  server.listen(socket.path);
  server.unref();
  const close = () => {
    if (closed) return;
    closed = true;
    open.delete(close);
    kernel?.destroy();
    server.close();
    void thread.terminate();
    socket.dispose();
  };
  thread.on("error", close);
  thread.on("exit", close);
  if (!exitHooked) process.once("exit", closeAll), (exitHooked = true);
  open.add(close);
  return { env: { MLNB_CHECK_SOCKET: socket.path, MLNB_CHECK_HOST: "starting process" }, close };
}

/** Requests from the kernel's socket to the thread, replies back, as JSON lines; either side ending ends the host. */
function bridge(conn: Socket, thread: CheckPort, close: () => void): void {
  const decoder = new LineDecoder<CheckRequest>((req) => thread.postMessage(req));
  thread.on("message", (reply: CheckReply) => conn.write(JSON.stringify(reply) + "\n"));
  conn.on("data", (chunk) => decoder.push(chunk));
  conn.on("error", close);
  conn.on("close", close);
}
