// Reading a pipeline lock file: every field checked (an error names the field), and its seed and params compared with the script's.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Pipeline, PipelineLock } from "./types.js";

/** A lock file that is not valid JSON or whose fields are not what an export writes. */
export class LockError extends Error {}

type Check = (v: unknown, at: string) => void;

const fail = (file: string, at: string, what: string): never => {
  throw new LockError(`${file}: field "${at}" ${what} (export the notebook again to rewrite the lock)`);
};

/** Parse and check the lock at `path`; throws LockError naming the file and the first bad field. */
export function readLock(path: string): PipelineLock {
  const file = basename(path);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new LockError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  const obj = (v: unknown, at: string): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(file, at, "must be an object"));
  const str: Check = (v, at) => void (typeof v === "string" || fail(file, at, "must be a string"));
  const int: Check = (v, at) => void (Number.isSafeInteger(v) || fail(file, at, "must be an integer"));
  const hex: Check = (v, at) => void ((typeof v === "string" && /^[0-9a-f]{64}$/.test(v)) || fail(file, at, "must be a sha256 (64 hex digits)"));
  const strings: Check = (v, at) => (Array.isArray(v) ? v.forEach((s, i) => str(s, `${at}[${i}]`)) : fail(file, at, "must be an array of strings"));
  const lock = obj(value, "(top level)");
  if (lock.lockVersion !== 1) fail(file, "lockVersion", `must be 1, got ${JSON.stringify(lock.lockVersion)}`);
  str(lock.notebook, "notebook");
  str(lock.notebookDir, "notebookDir");
  int(lock.seed, "seed");
  obj(lock.params, "params");
  for (const [k, v] of Object.entries(obj(lock.versions, "versions"))) str(v, `versions.${k}`);
  if (!Array.isArray(lock.inputs)) fail(file, "inputs", "must be an array");
  (lock.inputs as unknown[]).forEach((input, i) => {
    const at = `inputs[${i}]`;
    const o = obj(input, at);
    str(o.path, `${at}.path`);
    hex(o.sha256, `${at}.sha256`);
    int(o.bytes, `${at}.bytes`);
    if (o.stages !== undefined) strings(o.stages, `${at}.stages`);
  });
  for (const [name, stage] of Object.entries(obj(lock.stages, "stages"))) {
    const at = `stages.${name}`;
    const s = obj(stage, at);
    str(s.codeHash, `${at}.codeHash`);
    int(s.seed, `${at}.seed`);
    int(s.cell, `${at}.cell`);
    if (s.outputs !== undefined) {
      for (const [out, o] of Object.entries(obj(s.outputs, `${at}.outputs`))) {
        const oo = obj(o, `${at}.outputs.${out}`);
        str(oo.kind, `${at}.outputs.${out}.kind`);
        if (oo.hash !== undefined) str(oo.hash, `${at}.outputs.${out}.hash`);
      }
    }
    if (s.metrics !== undefined) for (const [m, v] of Object.entries(obj(s.metrics, `${at}.metrics`))) if (typeof v !== "number") fail(file, `${at}.metrics.${m}`, "must be a number");
  }
  return lock as unknown as PipelineLock;
}

/**
 * Where the script and its lock disagree on seeds: each stage's seed in the lock must be the
 * script's, and a stage with expected outputs ran with the run's seed (the lock's `seed`), so an
 * edited seed on either side is reported like a changed input. (Params may differ on purpose,
 * `-p`; `--verify` compares the ones each stage reads with the locked run's.)
 */
export function lockMismatches(pipeline: Pipeline, lock: PipelineLock): string[] {
  const problems: string[] = [];
  for (const stage of pipeline.stages) {
    const locked = lock.stages[stage.name];
    if (!locked) continue;
    if (locked.seed !== stage.seed) problems.push(`seed changed: stage ${stage.name} runs with seed ${stage.seed}, the lock says ${locked.seed}`);
    else if (locked.outputs && locked.seed !== lock.seed) problems.push(`seed changed: the lock's seed is ${lock.seed}, but stage ${stage.name}'s expected outputs were made with seed ${locked.seed}`);
  }
  return problems;
}
