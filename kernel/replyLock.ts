// One writer at a time on the kernel's reply descriptor (main thread and language thread both write lines).
import { writeSync } from "node:fs";

/** Write a whole line to `fd` while holding the lock in `lock[0]` (0 free, 1 held). */
export function lockedWrite(lock: Int32Array, fd: number, line: string): void {
  while (Atomics.compareExchange(lock, 0, 0, 1) !== 0) Atomics.wait(lock, 0, 1, 10);
  try {
    const buf = Buffer.from(line, "utf8");
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off);
  } finally {
    Atomics.store(lock, 0, 0);
    Atomics.notify(lock, 0);
  }
}
