// The feature verbs: date parts, interactions, polynomial degree 2, binning, and derive with arquero expressions.
export { datePart, type DatePart, type DatePartOptions } from "./datePart.js";
export { interactions } from "./interactions.js";
export { polynomial } from "./polynomial.js";
export { bin, BinDiscretizer, type BinOptions } from "./bin.js";
export { derive } from "./derive.js";
