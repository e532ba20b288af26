// The checker daemon's process entry: TypeScript loaded and the libraries parsed and bound once, serving kernels' cell checks until it is idle.
//
// Started by a kernel (kernel/exec/checkDaemonPlace.ts) with its socket, lock and log paths and the
// folder of the notebook to warm on. It takes the lock (a file holding its pid; a lock whose process
// is gone is taken over), listens, warms a checker for that folder, then answers each kernel that
// connects with a checker of its own over one document registry, as the language server does in
// VS Code (kernel/lang/checkServer.ts), so a kernel's first check parses nothing the daemon already
// holds. Connections made while it warms wait for the warm-up. It ends after MLNB_CHECK_DAEMON_IDLE_S
// seconds without a kernel (default 900), when its memory passes 1.5 GB with no kernel connected,
// or on SIGTERM, removing its socket and lock.
import { appendFileSync, closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { CellTypeChecker } from "../exec/typecheck.js";
import { dropAddedHugePages } from "../runtime/hugePages.js";
import { processAlive } from "../runtime/processAlive.js";
import type { SharedDocuments } from "./host.js";
import { answerKernel } from "./checkServer.js";
import { openLibTexts } from "./libText.js";
import { typescript, typescriptCacheDir } from "./typescript.js";

dropAddedHugePages();

const env = process.env;
const socketPath = env.MLNB_CHECK_DAEMON_SOCKET;
const lockPath = env.MLNB_CHECK_DAEMON_LOCK;
const logPath = env.MLNB_CHECK_DAEMON_LOG;
const warmDir = env.MLNB_CHECK_DAEMON_WARM ?? process.cwd();
const idleMs = Math.max(1, Number(env.MLNB_CHECK_DAEMON_IDLE_S ?? 900)) * 1000;
const MEMORY_LIMIT = 1.5 * 1024 ** 3;

function log(message: string): void {
  if (!logPath) return;
  try {
    appendFileSync(logPath, `${new Date().toISOString()} ${process.pid} ${message}\n`);
  } catch {
    // Logging is for whoever looks; the daemon works without it.
  }
}

/** Take the lock: true when this process is now the daemon (a lock left by a dead process is taken over). */
function claim(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") return false;
    }
    const holder = Number(readText(lock));
    if (holder > 0 && processAlive(holder)) return false;
    // No pid yet: another daemon made the lock a moment ago and is writing it (unless it is old).
    if (!(holder > 0) && Date.now() - mtimeMs(lock) < 10_000) return false;
    rmSync(lock, { force: true });
  }
  return false;
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

let ended = false;
function end(code: number, why: string): never {
  if (!ended) {
    ended = true;
    log(`ending: ${why}`);
    // Only while the lock is ours: the socket and lock of a daemon that took over are not ours to remove.
    if (lockPath && readText(lockPath) === String(process.pid)) {
      if (socketPath) rmSync(socketPath, { force: true });
      rmSync(lockPath, { force: true });
    }
  }
  process.exit(code);
}

if (!socketPath || !lockPath) {
  process.stderr.write("mlnb check daemon: started without MLNB_CHECK_DAEMON_SOCKET and MLNB_CHECK_DAEMON_LOCK (kernels start it)\n");
  process.exit(2);
}
if (!claim(lockPath)) process.exit(0);
process.on("SIGTERM", () => end(0, "SIGTERM"));
process.on("SIGINT", () => end(0, "SIGINT"));
process.on("uncaughtException", (e) => end(1, `uncaught: ${e.stack ?? e}`));

const ts = typescript();
const jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
const cacheDir = typescriptCacheDir();
const shared: SharedDocuments = {
  registry: ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, warmDir, jsDocParsingMode),
  jsDocParsingMode,
  ...(cacheDir ? { libTexts: openLibTexts(cacheDir, ts) } : {}),
  longLived: true,
};

/**
 * The checkers of the last kernels that went, kept: their files (a notebook's packages: tfjs,
 * arquero) stay in the registry, so the same notebook's next kernel (a restart) parses none of them.
 */
const KEPT_CHECKERS = 2;
const recent: CellTypeChecker[] = [];
function keepRecent(checker: CellTypeChecker): void {
  recent.push(checker);
  while (recent.length > KEPT_CHECKERS) recent.shift()!.dispose();
}

const kernels = new Set<Socket>();
let idleTimer: NodeJS.Timeout | undefined;
function idle(): void {
  clearTimeout(idleTimer);
  if (kernels.size > 0) return;
  if (process.memoryUsage().rss > MEMORY_LIMIT) end(0, "memory over 1.5 GB with no kernel connected");
  idleTimer = setTimeout(() => end(0, `idle for ${idleMs / 1000} s`), idleMs);
}

rmSync(socketPath, { force: true }); // a socket left by a daemon that was killed (we hold the lock)
const server = createServer((socket) => {
  kernels.add(socket);
  clearTimeout(idleTimer);
  socket.on("close", () => {
    kernels.delete(socket);
    idle();
  });
  answerKernel(socket, () => ts, () => shared, log, keepRecent);
});
server.on("error", (e) => end(1, `cannot listen on ${socketPath}: ${e.message}`));
server.listen(socketPath, () => {
  log(`listening (warming on ${warmDir})`);
  // Kept for the daemon's life: its files stay in the registry for every kernel's checker.
  const anchor = new CellTypeChecker(ts, warmDir, undefined, shared);
  try {
    anchor.warm();
  } catch (e) {
    log(`warm-up failed: ${(e as Error).message}`);
  }
  log("warm");
  void anchor.keepLibraryTexts().catch(() => {});
  idle();
});
