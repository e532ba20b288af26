// The kernel's language thread: answers `complete` / `inspect` while the main thread runs a cell.
//
// The watchdog thread (which reads stdin) starts it on the first complete/inspect and sends it
// requests through a MessagePort, and the executed cells (those before its start first). Replies are written straight to the reply descriptor under
// the kernel's write lock, so they never interleave with the main thread's lines.
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { encode, type Request } from "../protocol.js";
import { lockedWrite } from "../replyLock.js";
import { completeReply, ExecutedCells, inspectReply } from "./jupyter.js";
import { NotebookLanguageService } from "./service.js";
import { typescript } from "./typescript.js";

const { notebookDir, replyFd, lock, port } = workerData as { notebookDir: string; replyFd: number; lock: SharedArrayBuffer; port: MessagePort };
const lockView = new Int32Array(lock);
const executed = new ExecutedCells();
let service: NotebookLanguageService | undefined;
const loadTs = async () => typescript();
const getService = async () => (service ??= new NotebookLanguageService(await loadTs(), notebookDir));

// Requests are answered one at a time, in order.
let queue = Promise.resolve();
port.on("message", (req: Request) => {
  queue = queue.then(async () => {
    if (req.type !== "complete" && req.type !== "inspect") return;
    let line: string;
    try {
      const s = await getService();
      const reply = req.type === "complete" ? completeReply(s, executed.list(), req.id, req.code, req.cursor_pos) : inspectReply(s, executed.list(), req.id, req.code, req.cursor_pos);
      line = encode(reply);
    } catch (e) {
      line = encode({ type: "commandResult", id: req.id, ok: false, error: `${req.type} failed: ${(e as Error).message}` });
    }
    lockedWrite(lockView, replyFd, line);
  });
});

parentPort!.on("message", (msg: { type: "cell"; cellId: string; code: string } | { type: "reset" }) => {
  if (msg.type === "cell") executed.add(msg.cellId, msg.code);
  else executed.clear();
});
