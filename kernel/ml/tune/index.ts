// The tune verbs: grid and random search with k-fold cross-validation and a refitted best model.
import { gridSearch } from "./gridSearch.js";
import { randomSearch } from "./randomSearch.js";

export type { SearchOptions, SearchResult, Scoring, ModelName } from "./search.js";
export type { Space, Distribution, Params } from "./space.js";

/** `tune.gridSearch(table, space, opts)` and `tune.randomSearch(table, space, n, opts)`. */
export const tune = { gridSearch, randomSearch };
