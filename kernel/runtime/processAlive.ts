// Whether a process of this host lives: for locks and records that name the pid that holds them.
import { readFileSync } from "node:fs";

/**
 * True while process `pid` of this host runs (one of another user counts: it cannot be signalled,
 * yet it is there). A zombie does not: a process killed after its parent went is reparented to
 * PID 1, and where PID 1 does not reap (many containers' first process) it stays a zombie for
 * good, holding its pid, so a lock it held would never be taken over.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return !zombie(pid);
}

function zombie(pid: number): boolean {
  if (process.platform !== "linux") return false;
  try {
    // "pid (comm) state ...": comm may hold spaces and parentheses, the state follows the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state === "Z" || state === "X";
  } catch {
    return false;
  }
}
