// `mlnb daemon`: whether the checker daemon kernels share is running for this mlnb, and stopping it.
import { existsSync } from "node:fs";
import { daemonEnabled, daemonPlace, daemonWarm, runningDaemon, stopDaemon } from "../exec/checkDaemonPlace.js";
import { consoleIo, defineCommand, EXIT, startCommand, usageError, type Io } from "./args.js";

const SPEC = defineCommand({
  command: "daemon",
  usage: ["mlnb daemon [status | stop]"],
  about: `Outside VS Code, the first kernel that checks a cell starts a checker daemon: a process
holding TypeScript and the parsed library declarations, so the kernels after it (a Jupyter
restart, the next script) check their first cell in a check's time instead of ~1.3 s. One runs
per user and mlnb build; it ends after MLNB_CHECK_DAEMON_IDLE_S seconds without a kernel (900).
MLNB_CHECK_DAEMON=off turns it off; it is off where CI is set unless MLNB_CHECK_DAEMON=on.
"status" (the default) prints whether it runs and where; "stop" ends it.`,
  options: {},
});

/** Run `mlnb daemon` with injected output; returns the exit code. */
export async function daemonCommand(argv: string[], io: Io = consoleIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = startCommand(SPEC, argv, io);
  if (typeof parsed === "number") return parsed;
  const [action = "status", ...extra] = parsed.positionals;
  if (!["status", "stop"].includes(action) || extra.length > 0) return usageError(SPEC, `expected "status" or "stop", got "${parsed.positionals.join(" ")}"`, io);
  if (!daemonEnabled(env)) {
    io.out("checker daemon: off (MLNB_CHECK_DAEMON=off, or CI is set); kernels check on threads of their own");
    return EXIT.ok;
  }
  const place = daemonPlace(env);
  if (!place) {
    io.err("mlnb daemon: no private folder for its socket (MLNB_CHECK_DAEMON_DIR, else mlnb-<uid> under $XDG_RUNTIME_DIR or /tmp, must be yours and closed to others)");
    return EXIT.failure;
  }
  const pid = runningDaemon(place);
  if (action === "status") {
    io.out(pid !== undefined ? `checker daemon: running, pid ${pid}, ${daemonWarm(place, pid) ? "warm" : "warming up"}; socket ${place.socket}` : `checker daemon: not running (the next kernel that checks a cell starts it); socket ${place.socket}`);
    return EXIT.ok;
  }
  if (pid === undefined || !stopDaemon(place)) {
    io.out("checker daemon: not running");
    return EXIT.ok;
  }
  const until = Date.now() + 5000;
  while (existsSync(place.socket) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  if (existsSync(place.socket)) {
    io.err(`mlnb daemon: pid ${pid} did not end within 5 s`);
    return EXIT.failure;
  }
  io.out(`checker daemon: stopped (pid ${pid})`);
  return EXIT.ok;
}

/** Entry point for `mlnb daemon` (kernel/cli.ts dispatches here); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  return daemonCommand(argv);
}
