// The clean verbs (`prep`): fitted transformers with fit/transform/toJSON, and fromJSON to revive any of them.
export { fromJSON, Fitted, registerReviver, type Transformer, type TransformerJSON } from "./base.js";
export { simpleImputer, SimpleImputer, type SimpleImputerOptions, type ImputeStrategy } from "./simpleImputer.js";
export { dedupe, Dedupe, type DedupeOptions } from "./dedupe.js";
export { standardScaler, StandardScaler, type StandardScalerOptions } from "./standardScaler.js";
export { minMaxScaler, MinMaxScaler, type MinMaxScalerOptions } from "./minMaxScaler.js";
export { robustScaler, RobustScaler, type RobustScalerOptions } from "./robustScaler.js";
export { oneHotEncoder, OneHotEncoder, type OneHotEncoderOptions } from "./oneHotEncoder.js";
export { ordinalEncoder, OrdinalEncoder, type OrdinalEncoderOptions } from "./ordinalEncoder.js";
export { columns, ColumnTransformer, type ColumnGroups, type ColumnsOptions } from "./columns.js";
export { pipeline, Pipeline } from "./pipeline.js";
