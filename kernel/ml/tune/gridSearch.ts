// tune.gridSearch: k-fold cross-validation over every combination of the parameter lists.
import type { ColumnTable } from "arquero";
import { context } from "../context.js";
import { search, type SearchOptions, type SearchResult } from "./search.js";
import { grid, type Space } from "./space.js";

/**
 * Try every combination of `space` (e.g. `{ layers: [[16], [32, 16]], learningRate: [0.01, 0.001] }`)
 * with k-fold cross-validation on `table`; returns the results table, a chart, the best params and
 * the best params refitted on the whole table.
 */
export function gridSearch(table: ColumnTable, space: Space, opts: SearchOptions): Promise<SearchResult> {
  const candidates = grid(space, "tune.gridSearch");
  return search("tune.gridSearch", table, candidates, opts, (opts?.seed ?? context().seed()) >>> 0);
}
