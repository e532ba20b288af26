// Which cells "Run Stale Stages" and "Run Stage With Upstream" run, and which stages the cache holds but this kernel has not loaded.
//
// A fresh or restarted kernel knows the notebook's cells (synced) but has run none: stages need
// the `%%params` values, the `%seed` and names plain cells define before they can run, and an
// upstream stage whose stored execution still matches is "unloaded" (valid, not in memory), not stale.
import type { KnownCell, NotebookState } from "./notebook.js";

/**
 * The cells to run so that `stageNames` (in run order) can run in this kernel: first the cells
 * they need that are not stages and have not run here with their current source (the `%%params`
 * cell, cells with `%seed`, plain cells defining names the stages read), in notebook order; then
 * the stages' cells.
 */
export function cellsToRun(nb: NotebookState, stageNames: readonly string[]): string[] {
  const { magics } = nb.mods;
  const graph = nb.graph;
  if (stageNames.length === 0) return [];
  const stageCells = stageNames.map((n) => graph.stages.get(n)!.cellId);
  const known = nb.order.map((id) => nb.cells.get(id)).filter((c): c is KnownCell => !!c?.parsed);
  const plain = known.filter((c) => !magics.isMagic(c.parsed!.cellMagic, "cell", "stage"));
  const setup = new Set<string>();
  for (const c of plain) {
    const isParams = magics.isMagic(c.parsed!.cellMagic, "cell", "params");
    const hasSeed = c.parsed!.lineMagics.some((m) => m.name === "seed");
    if ((isParams || hasSeed) && !ranHere(nb, c)) setup.add(c.id);
  }
  // Names read by the stages (and by the plain cells pulled in for them) that a plain cell defines.
  const wanted = new Set(stageCells.flatMap((id) => namesOf(nb, nb.cells.get(id)!).refs));
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of plain) {
      if (setup.has(c.id) || ranHere(nb, c)) continue;
      const names = namesOf(nb, c);
      if (!names.defs.some((d) => wanted.has(d) && !graph.definedBy.has(d))) continue;
      setup.add(c.id);
      names.refs.forEach((r) => wanted.add(r));
      grew = true;
    }
  }
  return [...nb.order.filter((id) => setup.has(id)), ...stageCells];
}

/** "Run Stale Stages": stale, failed and never-run stages, with the upstream stages they need that this kernel has not loaded. */
export function staleRun(nb: NotebookState): string[] {
  const { stages } = nb.mods;
  const graph = nb.graph;
  const stale = stages.staleStages(graph, nb.states);
  const unloaded = stages.ancestors(graph, stale).filter((s) => nb.states.get(s) === "unloaded");
  return stages.inRunOrder(graph, [...stale, ...unloaded]);
}

/**
 * Mark stages this kernel has not run "unloaded" when the store holds an execution matching their
 * key: their code, the params and seed the notebook's cells give, and inputs from stages that are
 * themselves loaded or unloaded. Stages without a match keep no state (never run: stale).
 */
export function markUnloaded(nb: NotebookState): void {
  const { stages, magics } = nb.mods;
  const graph = nb.graph;
  const known = nb.order.map((id) => nb.cells.get(id)).filter((c): c is KnownCell => !!c?.parsed);
  const paramsCell = known.find((c) => magics.isMagic(c.parsed!.cellMagic, "cell", "params"));
  const params = paramsCell && !ranHere(nb, paramsCell) ? Object.fromEntries(nb.facts.params(paramsCell.parsed!.code).params.map((p) => [p.name, p.value])) : nb.params;
  const seedMagic = known.filter((c) => !ranHere(nb, c)).flatMap((c) => c.parsed!.lineMagics).find((m) => m.name === "seed");
  const seed = seedMagic ? (seedMagic.args as { seed: number }).seed : nb.seed;
  const sources = new Map(nb.values);
  const next = new Map(nb.states);
  for (const name of graph.order) {
    const state = next.get(name);
    if (state !== undefined && state !== "unloaded") continue;
    next.delete(name);
    const node = graph.stages.get(name)!;
    const parsed = nb.cells.get(node.cellId)?.parsed;
    const magic = parsed?.cellMagic;
    if (!parsed || !magics.isMagic(magic, "cell", "stage") || magic.args.noCache) continue;
    const key = stages.stageKey(node, nb.codeHashOf(parsed.code), { params, seed, values: sources });
    const found = stages.lookupCache(nb.store, key);
    if (!found.hit) continue;
    next.set(name, "unloaded");
    for (const o of found.hit.outputs) if (o.hash) sources.set(o.name, { hash: o.hash, stage: name, stageRunId: found.hit.stageRunId });
  }
  nb.states = next;
  nb.probed = { params, seed };
}

/**
 * Of `names` (stages a changed seed or param makes stale), those to mark: an unloaded stage stays
 * unloaded when the new values are the ones it was found with (a restarted kernel running its
 * `%%params` cell for the first time changes nothing).
 */
export function staleAfterChange(nb: NotebookState, names: readonly string[], now: { params?: Record<string, unknown>; seed?: number }): string[] {
  const p = nb.probed;
  const same = !!p && (now.seed === undefined || now.seed === p.seed) && (now.params === undefined || Object.keys(now.params).every((k) => JSON.stringify(now.params![k]) === JSON.stringify(p.params[k])));
  return same ? names.filter((n) => nb.states.get(n) !== "unloaded") : [...names];
}

function ranHere(nb: NotebookState, cell: KnownCell): boolean {
  return nb.ran.get(cell.id) === cell.source;
}

function namesOf(nb: NotebookState, cell: KnownCell) {
  return (cell.names ??= nb.facts.analyze(cell.parsed!.code));
}
