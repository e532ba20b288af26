// tune.randomSearch: k-fold cross-validation over n seeded samples of the parameter space.
import type { ColumnTable } from "arquero";
import { context, mulberry32 } from "../context.js";
import { search, type SearchOptions, type SearchResult } from "./search.js";
import { sample, type Space } from "./space.js";

/**
 * Try `n` parameter sets drawn from `space` (lists, or `{ uniform | logUniform | int: [low, high] }`)
 * with k-fold cross-validation; same result shape as gridSearch. Draws are seeded like the folds.
 */
export function randomSearch(table: ColumnTable, space: Space, n: number, opts: SearchOptions): Promise<SearchResult> {
  const seed = (opts?.seed ?? context().seed()) >>> 0;
  const candidates = sample(space, n, mulberry32(seed ^ 0x2545f491), "tune.randomSearch");
  return search("tune.randomSearch", table, candidates, opts, seed);
}
