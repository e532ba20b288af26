// Whether a process of this host lives: for locks and records that name the pid that holds them.

/** True while process `pid` of this host exists (one of another user counts: it cannot be signalled, yet it is there). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
