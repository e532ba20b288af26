// Where the shared checker daemon (kernel/lang/checkDaemon.ts) listens, whether kernels use it, and how one is started.
//
// Outside VS Code every kernel used to start TypeScript and parse ~1 MB of library declarations
// for its first check (~1.2-1.6 s on the machines we measure on). A daemon keeps them parsed and
// bound between kernels, as VS Code's language server does within a window: a kernel started while
// one is alive checks its first cell in a check's time. The first kernel with none alive starts
// one (detached, after its own first check) and checks on its own thread.
//
// The socket sits in a folder only this user can enter (`$XDG_RUNTIME_DIR` or `/tmp`, then `mlnb-<uid>`, 0700, refused when
// another user owns it or others may enter it), named by a key of this mlnb build, its TypeScript
// and Node: a rebuilt or upgraded mlnb starts a new daemon, the old one ends when idle.
// MLNB_CHECK_DAEMON=off turns it off (and it is off where CI is set unless MLNB_CHECK_DAEMON=on);
// MLNB_CHECK_DAEMON_DIR names another folder; MLNB_CHECK_DAEMON_IDLE_S sets its idle life (default 900 s).
import type { spawn as Spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { withHugePages } from "../runtime/hugePages.js";
import { processAlive } from "../runtime/processAlive.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ENTRY = join(HERE, "..", "lang", "checkDaemon.js");
/** Longest Unix socket path that fits everywhere (sun_path is 104-108 bytes). */
const MAX_SOCKET_PATH = 100;

/** How kernels name the daemon as their checker's host (traces, `where()`). */
export const DAEMON_HOST = "checker daemon";

/** Where a daemon for this build listens, and the lock that makes it the only one. */
export interface DaemonPlace {
  socket: string;
  lock: string;
  log: string;
}

/** Whether kernels started with `env` use (and start) the daemon. */
export function daemonEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = env.MLNB_CHECK_DAEMON;
  if (setting === "off" || setting === "0" || setting === "false") return false;
  if (process.platform === "win32") return false;
  // CI machines start from nothing each run: a process left behind would outlive the job.
  if (env.CI && env.CI !== "false" && setting !== "on") return false;
  return true;
}

/** The daemon's place for this build, or undefined when it is off or no private folder can be had. */
export function daemonPlace(env: NodeJS.ProcessEnv = process.env): DaemonPlace | undefined {
  if (!daemonEnabled(env)) return undefined;
  const uid = process.getuid?.() ?? 0;
  const dir = env.MLNB_CHECK_DAEMON_DIR ?? join(runtimeBase(env), `mlnb-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    // A folder another user made (or one others may enter) could hand our kernels a stranger's socket.
    if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) return undefined;
    const key = buildKey();
    const socket = join(dir, `check-${key}.sock`);
    if (socket.length > MAX_SOCKET_PATH) return undefined;
    return { socket, lock: join(dir, `check-${key}.lock`), log: join(dir, `check-${key}.log`) };
  } catch {
    return undefined;
  }
}

/**
 * Where the per-user folder goes: XDG_RUNTIME_DIR (a login's private runtime folder) when set,
 * else /tmp, not TMPDIR: a harness that gives each test its own TMPDIR would otherwise start a
 * daemon for each. Windows has none (see daemonEnabled).
 */
function runtimeBase(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && isAbsolute(xdg) && existsSync(xdg)) return xdg;
  return existsSync("/tmp") ? "/tmp" : tmpdir();
}

/** This mlnb build, its TypeScript and Node: what a daemon's answers depend on besides the notebook. */
function buildKey(): string {
  const ts = require.resolve("typescript");
  const hash = new Fnv();
  hash.update(`${process.version}\0${HERE}\0${ts}`);
  // The modules whose code decides a check's answer (a build rewrites them all; an install keeps their mtimes).
  const lang = (name: string) => join(HERE, "..", "lang", name);
  for (const file of [ENTRY, join(HERE, "typecheck.js"), join(HERE, "checkAnswer.js"), lang("host.js"), lang("compilerOptions.js"), lang("libText.js"), lang("checkServer.js"), ts]) {
    const st = statSync(file);
    hash.update(`\0${st.size}:${st.mtimeMs}`);
  }
  return hash.hex();
}

/**
 * Two FNV-1a hashes (different offsets) of a text, as 16 hex digits: a name, not a secret, and it
 * costs no crypto module on the kernel's start path (~5 ms to load here).
 */
class Fnv {
  private a = 0x811c9dc5;
  private b = 0x050c5d1f;
  update(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      this.a = Math.imul(this.a ^ c, 0x01000193) >>> 0;
      this.b = Math.imul(this.b ^ c, 0x01000193) >>> 0;
    }
  }
  hex(): string {
    return this.a.toString(16).padStart(8, "0") + this.b.toString(16).padStart(8, "0");
  }
}

/** Whether a daemon's socket exists (it may still be stale: a connection that fails falls back). */
export function daemonListening(place: DaemonPlace): boolean {
  return existsSync(place.socket);
}

/**
 * Start a daemon for `place`, warming on the notebook folder `warmDir`. It is a daemon in the Unix
 * sense: a shell starts it in the background and exits at once, so it is nobody's child (a kernel
 * killed with its process tree, or a test counting a kernel's children, does not meet it), in a
 * session of its own, holding none of the kernel's pipes. A daemon already running (the lock)
 * makes the new one end at once. Not niced: it could not raise its priority again to answer checks.
 */
export function startDaemon(place: DaemonPlace, warmDir: string, env: NodeJS.ProcessEnv = process.env): void {
  const shell = "/bin/sh";
  const [command, args] = existsSync(shell) ? [shell, ["-c", '"$0" "$1" </dev/null >/dev/null 2>&1 &', process.execPath, ENTRY]] : [process.execPath, [ENTRY]];
  try {
    // Loaded here, not at the kernel's start: only a kernel that starts a daemon needs it.
    const spawn = (require("node:child_process") as { spawn: typeof Spawn }).spawn;
    const child = spawn(command, args, {
      cwd: dirname(place.socket), // not the notebook's folder: the daemon outlives it
      detached: true,
      stdio: "ignore",
      env: { ...withHugePages(env), MLNB_CHECK_DAEMON_SOCKET: place.socket, MLNB_CHECK_DAEMON_LOCK: place.lock, MLNB_CHECK_DAEMON_LOG: place.log, MLNB_CHECK_DAEMON_WARM: warmDir },
    });
    child.on("error", () => {});
    child.unref();
  } catch {
    // No daemon: kernels keep checking on threads of their own.
  }
}

/**
 * Start a daemon for this build in `delayMs` (after this kernel's own thread warmed, so they do not
 * compete), unless one runs by then; a process that ends first starts none (the next kernel will).
 */
export function startDaemonSoon(warmDir: string, delayMs = 3000): void {
  setTimeout(() => {
    const place = daemonPlace();
    if (place && runningDaemon(place) === undefined) startDaemon(place, warmDir);
  }, delayMs).unref();
}

/** The pid of the daemon holding `place`'s lock, if one does (it may have died since). */
export function daemonPid(place: DaemonPlace): number | undefined {
  try {
    return Number(readFileSync(place.lock, "utf8")) || undefined;
  } catch {
    return undefined;
  }
}

/** How many daemons of `place` finished warming (from its log: each writes "warm" once). */
export function daemonWarmUps(place: DaemonPlace): number {
  try {
    return readFileSync(place.log, "utf8").split(" warm\n").length - 1;
  } catch {
    return 0;
  }
}

/** Whether daemon `pid` of `place` finished warming (its log line). */
export function daemonWarm(place: DaemonPlace, pid: number): boolean {
  try {
    return readFileSync(place.log, "utf8").includes(` ${pid} warm\n`);
  } catch {
    return false;
  }
}

/** Ask the daemon of `place` to end (`signal`): it removes its socket and lock. False when none held the lock. */
export function stopDaemon(place: DaemonPlace, signal: NodeJS.Signals = "SIGTERM"): boolean {
  const pid = daemonPid(place);
  if (!pid) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the daemon serving `place` now, if one is (its lock names a live process and its socket exists). */
export function runningDaemon(place: DaemonPlace): number | undefined {
  const pid = daemonPid(place);
  return pid !== undefined && processAlive(pid) && existsSync(place.socket) ? pid : undefined;
}
