// The feature verbs: date parts, interactions, polynomial degree 2, binning, and derive with arquero expressions (each also a pipeline step).
export { datePart, DatePartStep, type DatePart, type DatePartOptions } from "./datePart.js";
export { interactions, InteractionsStep, type InteractionsOptions } from "./interactions.js";
export { polynomial, PolynomialStep, type PolynomialOptions } from "./polynomial.js";
export { bin, BinDiscretizer, type BinOptions } from "./bin.js";
export { derive, DeriveStep } from "./derive.js";
export { RowWise } from "./rowWise.js";
