// Deploy: write a trained pipeline as a self-contained bundle folder, and load it back as a predictor.
export { bundle, BUNDLE_VERSION, type BundleOptions, type BundleManifest } from "./bundle.js";
export { load, predictor, type Predictor, type Prediction } from "./load.js";
export { inferSchema, validateRows, checkRows, type Schema, type FieldSchema, type FieldError } from "./schema.js";
export { score, RowsError, type ScoreOptions, type Scores } from "./score.js";
export { referenceSample, REFERENCE_SAMPLE, type ReferenceData, type ColumnSummary } from "./reference.js";
