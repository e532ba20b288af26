// Starts the kernel's type checker first thing in the process, so TypeScript loads on the other core while the kernel loads its own modules.
//
// kernel/server.ts calls this before it imports the kernel; kernel/exec/checker.ts takes the checker
// on its first request that needs TypeScript. In VS Code the extension names the language server's
// check socket (MLNB_CHECK_SOCKET): the checks go there, to a TypeScript that is already warm, and a
// kernel that cannot connect starts its own thread at once. Elsewhere a checker daemon alive for this
// build (kernel/exec/checkDaemonPlace.ts) serves them the same way; with none, the kernel checks on
// its thread and starts one for the kernels after it. Few imports here: this runs before anything else.
import { mark } from "../runtime/trace.js";
import { daemonListening, daemonPlace, startDaemon, DAEMON_HOST, type DaemonPlace } from "./checkDaemonPlace.js";
import { checkerThread, remoteChecker, type CheckPort } from "./checkPort.js";

let prestarted: { port: CheckPort; notebookDir: string; failure?: Error } | undefined;

/** Whether a kernel started with `env` checks cells and warms its checker at start (the one rule; the Jupyter front end's host follows it too). */
export function warmsChecker(env: NodeJS.ProcessEnv): boolean {
  return env.MLNB_TYPECHECK !== "off" && env.MLNB_TYPECHECK_WARMUP !== "off";
}

/**
 * Start the checker now, warming itself, when this kernel will check cells and warm up (not with
 * `MLNB_TYPECHECK=off`, nor in a headless run, `MLNB_TYPECHECK_WARMUP=off`, whose checks may all
 * come from the persistent cache).
 */
export function prestartChecker(notebookDir: string): void {
  if (!warmsChecker(process.env)) return;
  const socket = process.env.MLNB_CHECK_SOCKET;
  const notebookPath = process.env.MLNB_NOTEBOOK;
  if (socket && notebookPath) {
    const host = process.env.MLNB_CHECK_HOST ?? "language server";
    // A daemon named by the starting process (Jupyter's front end) that is gone: a new one is started.
    const daemon = host === DAEMON_HOST ? daemonPlace() : undefined;
    connectTo(socket, host, notebookPath, notebookDir, daemon);
    return;
  }
  const daemon = daemonPlace();
  if (daemon && notebookPath && daemonListening(daemon)) connectTo(daemon.socket, DAEMON_HOST, notebookPath, notebookDir, daemon);
  else startThread(notebookDir, daemon);
}

function connectTo(socket: string, host: string, notebookPath: string, notebookDir: string, daemon: DaemonPlace | undefined): void {
  mark(`kernel: connecting to the ${host}'s checker`);
  hold(remoteChecker(socket, notebookPath, host), notebookDir, (e) => (mark(`kernel: no ${host} checker (${e.message})`), startThread(notebookDir, daemon)));
}

/** A checker thread of this kernel; with `daemon`, a checker daemon is started once the thread answered (for the next kernels). */
function startThread(notebookDir: string, daemon?: DaemonPlace): void {
  mark("kernel: checker thread starting");
  const port = checkerThread({ notebookDir, warmNow: true });
  if (daemon) port.once("message", () => setImmediate(() => startDaemon(daemon, notebookDir)));
  hold(port, notebookDir);
}

/** Keep `port` until the kernel takes it; a failure meanwhile is kept (or handled by `onFailure`). */
function hold(port: CheckPort, notebookDir: string, onFailure?: (e: Error) => void): void {
  const entry: { port: CheckPort; notebookDir: string; failure?: Error } = { port, notebookDir };
  const failed = (e: Error) => {
    if (entry.failure) return;
    entry.failure = e;
    if (onFailure && prestarted === entry) onFailure(e);
  };
  port.on("error", failed);
  port.on("exit", () => failed(new Error("the checker thread exited")));
  port.unref();
  prestarted = entry;
}

/** The checker `prestartChecker` started, while it waits to be taken (a look, not a take). */
export function prestartedChecker(): CheckPort | undefined {
  return prestarted && !prestarted.failure ? prestarted.port : undefined;
}

/** The checker `prestartChecker` started for `notebookDir`, once (undefined if none, or if it failed). */
export function takePrestartedChecker(notebookDir: string): CheckPort | undefined {
  const entry = prestarted;
  if (!entry || entry.notebookDir !== notebookDir) return undefined;
  prestarted = undefined;
  if (entry.failure) return undefined;
  entry.port.removeAllListeners("error");
  entry.port.removeAllListeners("exit");
  return entry.port;
}
