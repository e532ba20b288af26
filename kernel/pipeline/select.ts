// Which stages a script run executes (`--stage`, `--from`, `--to`) and which upstream stages it needs.
import type { Pipeline, PipelineStage } from "./types.js";

export interface Selection {
  /** Stages the user asked for, in run order. */
  selected: string[];
  /** Stages outside the selection whose outputs the selected ones read, in run order. */
  upstream: string[];
}

/** Thrown for a selection naming no stage or an empty range; the message names the option and stage. */
export class SelectionError extends Error {
  override name = "SelectionError";
}

function parentsOf(s: PipelineStage): string[] {
  return [...new Set([...Object.values(s.inputs), ...s.needs])];
}

function reach(pipeline: Pipeline, start: string, next: (s: PipelineStage) => string[]): Set<string> {
  const byName = new Map(pipeline.stages.map((s) => [s.name, s]));
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length) for (const n of next(byName.get(queue.pop()!)!)) if (!seen.has(n)) (seen.add(n), queue.push(n));
  return seen;
}

/**
 * Select stages: `stage` alone; `from` and everything downstream of it; `to` and everything
 * upstream of it; `from` with `to` the stages between them. No option: every stage.
 */
export function selectStages(pipeline: Pipeline, options: { stage?: string; from?: string; to?: string }): Selection {
  const names = pipeline.stages.map((s) => s.name);
  const check = (option: string, name: string | undefined) => {
    if (name !== undefined && !names.includes(name)) throw new SelectionError(`--${option} ${name}: no such stage (stages: ${names.join(", ")})`);
  };
  check("stage", options.stage);
  check("from", options.from);
  check("to", options.to);
  if (options.stage && (options.from || options.to)) throw new SelectionError("--stage cannot be combined with --from or --to");
  const children = (s: PipelineStage) => pipeline.stages.filter((c) => parentsOf(c).includes(s.name)).map((c) => c.name);
  let chosen = new Set(names);
  if (options.stage) chosen = new Set([options.stage]);
  if (options.from) chosen = reach(pipeline, options.from, children);
  if (options.to) {
    const up = reach(pipeline, options.to, parentsOf);
    chosen = new Set([...chosen].filter((n) => up.has(n)));
  }
  if (!chosen.size) throw new SelectionError(`--from ${options.from} --to ${options.to}: "${options.to}" is not downstream of "${options.from}", so no stage is selected`);
  const needed = new Set<string>();
  for (const name of chosen) for (const n of reach(pipeline, name, parentsOf)) if (!chosen.has(n)) needed.add(n);
  return { selected: names.filter((n) => chosen.has(n)), upstream: names.filter((n) => needed.has(n)) };
}
