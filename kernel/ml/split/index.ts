// The split verbs: train/test split and (stratified) k-fold, every partition tagged with lineage.
import { trainTestSplit } from "./trainTestSplit.js";
import { kFold } from "./kFold.js";
import { stratifiedKFold } from "./stratifiedKFold.js";

export type { TrainTestSplitOptions } from "./trainTestSplit.js";
export type { KFoldOptions } from "./kFold.js";
export type { StratifiedKFoldOptions } from "./stratifiedKFold.js";
export type { Fold } from "./folds.js";

/** `split.trainTestSplit(table, opts)`, `split.kFold(table, opts)`, `split.stratifiedKFold(table, label, opts)`. */
export const split = { trainTestSplit, kFold, stratifiedKFold };
