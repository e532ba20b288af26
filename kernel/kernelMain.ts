// The kernel proper, loaded by kernel/server.ts (the process entry): wires stdin (via the watchdog thread) and fd 3 to a session.
import { writeSync } from "node:fs";
import { checkKernelRequirements } from "./runtime/requirements.js";
import { START_FAILURE_EXIT, START_FAILURE_MARK } from "./runtime/nodeVersion.js";
import { Worker } from "node:worker_threads";
import { encode, type Reply, type Request, type TypeCheckMode } from "./protocol.js";
import { createSession } from "./session/session.js";
import { refuseRethrowingHandlers } from "./session/faults.js";
import { lockedWrite } from "./replyLock.js";
import { packageVersion } from "./version.js";
import { mark } from "./runtime/trace.js";

mark("kernel: modules loaded");

// The client says which descriptor carries replies (3, a pipe of its own); by hand, stdout.
const REPLY_FD = Number(process.env.MLNB_REPLY_FD ?? 1);

const realStdoutWrite = process.stdout.write.bind(process.stdout);
// The language thread writes its replies too: one line at a time under this lock.
const replyLock = new Int32Array(new SharedArrayBuffer(4));
function send(reply: Reply): void {
  const line = encode(reply);
  if (REPLY_FD === 1) realStdoutWrite(line);
  else lockedWrite(replyLock, REPLY_FD, line);
}

// What this Node cannot give the kernel (too old, no SQLite, no swc) ends the start with one line saying what to install.
const unmet = checkKernelRequirements();
if (unmet) {
  writeSync(2, `${START_FAILURE_MARK}${unmet}\n`);
  process.exit(START_FAILURE_EXIT);
}

// Set when the watchdog has started the language thread (on the first complete/inspect).
let languageThread = false;
const session = createSession({
  notebookDir: process.cwd(),
  send,
  languageThread: () => languageThread,
  typeCheck: (process.env.MLNB_TYPECHECK as TypeCheckMode | undefined) ?? "warn",
});

// Everything cells print goes to the cell that is running (or ran last), as stream replies.
for (const name of ["stdout", "stderr"] as const) {
  const stream = process[name];
  stream.write = ((chunk: string | Uint8Array, encodingOrCb?: unknown, cb?: unknown): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    const owner = session.streamOwner;
    if (owner) send({ type: "stream", id: owner, name, text });
    else if (name === "stderr" || REPLY_FD !== 1) writeSync(name === "stdout" ? 1 : 2, text);
    const callback = typeof encodingOrCb === "function" ? encodingOrCb : cb;
    if (typeof callback === "function") queueMicrotask(() => (callback as () => void)());
    return true;
  }) as typeof stream.write;
}

// The kernel's error boundary for what escapes every cell (a throw in a timer, a rejection no one
// handles): shown on the cell that scheduled it, and the kernel and its variables live on.
process.on("uncaughtException", (error, origin) => session.fault(error, origin === "unhandledRejection" ? "unhandledRejection" : "uncaughtException"));
process.on("unhandledRejection", (reason) => session.fault(reason, "unhandledRejection"));
refuseRethrowingHandlers();
// Ctrl-C in a terminal signals the whole process group: the client (the CLI) decides what an
// interrupt means and sends it; the kernel must not die of the terminal's SIGINT.
process.on("SIGINT", () => {});

// complete/inspect go from the watchdog straight to the language thread (answered while a cell
// runs); the watchdog starts that thread on the first of them, so a run that asks none (`mlnb run`)
// never pays its start.
const watchdog = new Worker(new URL("./worker.js", import.meta.url), {
  workerData: { interruptFlag: session.executor.interruptFlag.buffer, notebookDir: process.cwd(), replyFd: REPLY_FD, lock: replyLock.buffer },
});

watchdog.on("message", (msg: Request | { type: "garbage"; line: string } | { type: "languageThread" }) => {
  switch (msg.type) {
    case "languageThread":
      languageThread = true;
      break;
    case "interrupt":
      session.interrupt();
      break;
    case "execute":
      watchdog.postMessage({ type: "cell", cellId: msg.cellId ?? msg.id, code: msg.code });
      void session.execute(msg.id, msg.code, msg.options, msg.cellId);
      break;
    case "command":
      void session.command(msg.id, msg.command, msg.args);
      break;
    case "shutdown":
      mark("kernel: shutdown asked");
      session.close();
      mark("kernel: session closed");
      setImmediate(() => process.exit(0));
      break;
    case "garbage":
      process.stderr.write(`kernel: ignored a request that is not JSON: ${msg.line.slice(0, 200)}\n`);
      break;
  }
});
watchdog.on("error", (e) => {
  process.stderr.write(`kernel: watchdog failed: ${e.stack}\n`);
  process.exit(70);
});

mark("kernel: ready");
send({ type: "ready", pid: process.pid, version: packageVersion(), node: process.version });
// Load TypeScript and warm the checker while the user reads the notebook.
setImmediate(() => void session.warmup());
