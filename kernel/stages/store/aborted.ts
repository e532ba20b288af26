// Which "running" runs were killed: their recording process (on this host) is gone. Both stores mark those aborted on open.
import { processAlive } from "../../runtime/processAlive.js";

/** The ids of this host's running runs whose process has died (never this process's). */
export function deadRuns(running: readonly { id: number; pid: number }[]): number[] {
  return running.filter((r) => r.pid !== process.pid && !processAlive(r.pid)).map((r) => r.id);
}
