// The hash thread: sha256 over the windows the main thread posts in a shared ring (protocol in hashThread.ts).
import { createHash } from "node:crypto";
import { workerData } from "node:worker_threads";
import { CONTROL, SLOTS as slots, WINDOW as window, type HashThreadData } from "./hashThread.js";

const { ring, control } = workerData as HashThreadData;
const bytes = new Uint8Array(ring);
const ctl = new Int32Array(control);
const digest = new Uint8Array(control, CONTROL.digest, 32);

let hash = createHash("sha256");
let seq = 0;
// This thread does nothing else: it sleeps in Atomics.wait until a command is posted, and is ended with its process (unref'd) or terminated.
for (;;) {
  Atomics.wait(ctl, CONTROL.posted, seq);
  const posted = Atomics.load(ctl, CONTROL.posted);
  for (; seq < posted; seq++) {
    const slot = seq % slots;
    const n = ctl[CONTROL.lengths + slot]!;
    if (n >= 0) hash.update(bytes.subarray(slot * window, slot * window + n));
    else {
      digest.set(hash.digest());
      hash = createHash("sha256");
    }
    Atomics.store(ctl, CONTROL.done, seq + 1);
    Atomics.notify(ctl, CONTROL.done);
  }
}
