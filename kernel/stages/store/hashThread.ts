// sha256 of a blob on a thread of its own, over a shared ring of windows that this thread fills (making a table's strings) and the thread pool writes.
//
// Hashing on the main thread put 46 MB of sha256 (35 ms here) after making the string bytes of
// bench/stages.ts's table, on one core. Here the main thread makes (or copies) the bytes into one
// of 16 windows of a SharedArrayBuffer, hands the window to libuv's pool to write and to the hash
// thread (hashWorker.ts) to hash, and goes on with the next; a window is used again once both are
// done with it. Blobs with less than a window of lazy pieces (nothing to overlap the hash with;
// numeric tables would only pay a copy) are hashed on this thread, as is a blob written while
// another one holds the hash thread. A hash thread that stops (it never should) fails no write:
// the blob is written again with the hash made here.
//
// Protocol, all in shared memory: the main thread writes a command's byte count (-1: digest and
// start afresh) in the lengths slot of its window and bumps `posted`; the hash thread runs the
// commands in order and bumps `done` after each, so window `s` is free when `done` passed its use.
// A blob's commands are a digest (dropping what an abandoned blob left), its windows, a digest.
import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
import { isLazy, type Piece } from "../codecs/chunks.js";
import { openTemp, streamToTemp, type TempFile } from "./tempWrite.js";

/** Bytes of one shared window. */
export const WINDOW = 1 << 20;
/** Windows in the ring (16 MB, kept for the process once a blob used the thread). */
export const SLOTS = 16;
/** Int32 indexes (posted, done, lengths...) and the byte offset of the digest in the control buffer. */
export const CONTROL = { posted: 0, done: 1, lengths: 2, digest: (2 + SLOTS) * 4, bytes: (2 + SLOTS) * 4 + 32 } as const;
/** What the hash thread is started with. */
export interface HashThreadData {
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

const MIN_LAZY = WINDOW;

type WaitAsync = (a: Int32Array, index: number, value: number, timeoutMs: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

interface HashThread {
  worker: Worker;
  ctl: Int32Array;
  windows: Uint8Array[];
  digest: Uint8Array;
  posted: number;
  busy: boolean;
  /** Why the thread stopped, once it has. */
  stopped?: Error;
}

/** The hash thread stopped under a write: the write is done again with the hash made on this thread. */
class HashThreadStopped extends Error {}

let thread: HashThread | undefined;

/** The hash thread for one blob (started on first use); undefined while another blob holds it. */
function lease(): HashThread | undefined {
  if (thread?.busy) return undefined;
  const t = (thread ??= start());
  t.busy = true;
  // a pending Atomics.waitAsync does not keep the process alive: the thread does while leased
  t.worker.ref();
  return t;
}

function release(t: HashThread): void {
  t.busy = false;
  t.worker.unref();
}

function start(): HashThread {
  const ring = new SharedArrayBuffer(WINDOW * SLOTS);
  const control = new SharedArrayBuffer(CONTROL.bytes);
  const data: HashThreadData = { ring, control };
  // no flags of this process (an --input-type of `node -e` stops a Worker from starting)
  const worker = new Worker(new URL("./hashWorker.js", import.meta.url), { workerData: data, execArgv: [] });
  worker.unref();
  const t: HashThread = {
    worker,
    ctl: new Int32Array(control),
    windows: Array.from({ length: SLOTS }, (_, i) => new Uint8Array(ring, i * WINDOW, WINDOW)),
    digest: new Uint8Array(control, CONTROL.digest, 32),
    posted: 0,
    busy: false,
  };
  const stop = (e: Error) => {
    t.stopped ??= e;
    if (thread === t) thread = undefined;
    // a write waiting for the thread wakes and sees it stopped
    Atomics.notify(t.ctl, CONTROL.done);
  };
  worker.on("error", (e) => stop(new HashThreadStopped(`the hash thread failed: ${e.message}`)));
  worker.on("exit", (code) => stop(new HashThreadStopped(`the hash thread exited with code ${code}`)));
  return t;
}

/** Wait until the hash thread has run `target` commands. */
async function reached(t: HashThread, target: number): Promise<void> {
  for (;;) {
    const done = Atomics.load(t.ctl, CONTROL.done);
    if (done >= target) return;
    if (t.stopped) throw t.stopped;
    // woken by the thread's notify, or by `stop` when it exits (the timeout is a backstop)
    const w = waitAsync(t.ctl, CONTROL.done, done, 1000);
    if (w.async) await w.value;
  }
}

/** Hand window `slot` (n bytes; -1: the digest) to the hash thread. */
function post(t: HashThread, slot: number, n: number): void {
  t.ctl[CONTROL.lengths + slot] = n;
  t.posted++;
  Atomics.store(t.ctl, CONTROL.posted, t.posted);
  Atomics.notify(t.ctl, CONTROL.posted);
}

/** Write `pieces` through the shared windows: each window hashed by the thread and written by the pool while the next is filled. */
async function throughThread(t: HashThread, folder: string, pieces: readonly Piece[]): Promise<{ file: TempFile; hash: string }> {
  const file = openTemp(folder);
  const writes: (Promise<void> | undefined)[] = [];
  let pos = 0;
  // the next window, once the thread has hashed what it held (SLOTS commands ago) and the pool wrote it
  const claim = async (): Promise<number> => {
    const slot = t.posted % SLOTS;
    await reached(t, t.posted - SLOTS + 1);
    await writes[slot];
    return slot;
  };
  const send = (slot: number, n: number) => {
    post(t, slot, n);
    writes[slot] = file.write([t.windows[slot]!.subarray(0, n)], pos);
    pos += n;
  };
  try {
    // a digest first: whatever an abandoned blob left in the thread's hash is dropped
    post(t, await claim(), -1);
    // byte pieces (message headers, numeric columns) are copied in, packed; a lazy piece starts a window
    let open: number | undefined;
    let fill = 0;
    for (const p of pieces) {
      if (isLazy(p)) {
        if (open !== undefined) send(open, fill);
        open = undefined;
        const next = p.open();
        for (;;) {
          const slot = await claim();
          const n = next(t.windows[slot]!);
          if (n === 0) break;
          send(slot, n);
        }
        continue;
      }
      for (let at = 0; at < p.byteLength; ) {
        if (open === undefined) {
          open = await claim();
          fill = 0;
        }
        const k = Math.min(WINDOW - fill, p.byteLength - at);
        t.windows[open]!.set(p.subarray(at, at + k), fill);
        at += k;
        fill += k;
        if (fill === WINDOW) {
          send(open, fill);
          open = undefined;
        }
      }
    }
    if (open !== undefined) send(open, fill);
    post(t, await claim(), -1);
    await reached(t, t.posted);
    const hash = Buffer.from(t.digest).toString("hex");
    return { file: await file.finish(), hash };
  } catch (e) {
    await file.abort();
    throw e;
  }
}

/** `streamToTemp` with a sha256 made on this thread. */
async function hashHere(folder: string, pieces: readonly Piece[]): Promise<{ file: TempFile; hash: string }> {
  const h = createHash("sha256");
  const file = await streamToTemp(folder, pieces, (bytes) => h.update(bytes));
  return { file, hash: h.digest("hex") };
}

/**
 * Write `pieces` in order to a fresh temp file in `folder` and give the sha256 (hex) of their
 * bytes: hashed on the hash thread while this thread makes the lazy pieces, when they hold a
 * window's worth or more and the thread is free, else on this thread while the pool writes.
 * On an error the temp file is removed. Byte pieces must not change until this resolves.
 */
export async function hashToTemp(folder: string, pieces: readonly Piece[]): Promise<{ file: TempFile; hash: string }> {
  let lazy = 0;
  for (const p of pieces) if (isLazy(p)) lazy += p.byteLength;
  const t = lazy >= MIN_LAZY ? lease() : undefined;
  if (!t) return hashHere(folder, pieces);
  try {
    return await throughThread(t, folder, pieces);
  } catch (e) {
    if (e instanceof HashThreadStopped) return hashHere(folder, pieces);
    throw e;
  } finally {
    release(t);
  }
}

/** End the hash thread (tests; the process's end ends it otherwise). */
export async function stopHashThread(): Promise<void> {
  const t = thread;
  thread = undefined;
  if (t) await t.worker.terminate();
}
