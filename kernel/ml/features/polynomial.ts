// features.polynomial: degree-2 polynomial features, named and ordered like scikit-learn's PolynomialFeatures (now, or as a pipeline step).
import type { ColumnTable } from "arquero";
import { registerReviver } from "../prep/base.js";
import { product } from "./products.js";
import { RowWise } from "./rowWise.js";

export interface PolynomialOptions { degree?: 2; interactionOnly?: boolean }

/**
 * Add squares and pairwise products of `columns` ("a^2", "a b", "b^2", in scikit-learn's
 * order); with `interactionOnly` only the products. The original columns stay. Without a
 * table, `features.polynomial(columns, options)` is the same step as a transformer.
 */
export function polynomial(table: ColumnTable, columns: string[], options?: PolynomialOptions): ColumnTable;
export function polynomial(columns: string[], options?: PolynomialOptions): PolynomialStep;
export function polynomial(a: ColumnTable | string[], b?: string[] | PolynomialOptions, c?: PolynomialOptions): ColumnTable | PolynomialStep {
  if (Array.isArray(a)) return new PolynomialStep(a, (b as PolynomialOptions | undefined) ?? {});
  return addPolynomial(a, b as string[], c ?? {});
}

function checkDegree(options: PolynomialOptions): void {
  if ((options.degree ?? 2) !== 2) throw new Error(`features.polynomial: only degree 2 is supported, got ${options.degree}`);
}

function addPolynomial(table: ColumnTable, columns: string[], options: PolynomialOptions): ColumnTable {
  checkDegree(options);
  const out: Record<string, Float64Array> = {};
  for (let i = 0; i < columns.length; i++) {
    for (let j = i; j < columns.length; j++) {
      if (i === j && options.interactionOnly) continue;
      out[i === j ? `${columns[i]}^2` : `${columns[i]} ${columns[j]}`] = product(table, columns[i], columns[j], "features.polynomial");
    }
  }
  return table.assign(out as unknown as Record<string, number[]>) as ColumnTable;
}

/** Degree-2 features as a transformer (no state; columns and options are its JSON). */
export class PolynomialStep extends RowWise {
  readonly type = "Polynomial";
  constructor(readonly columns: string[], options: PolynomialOptions = {}) {
    super({ columns, ...options });
    checkDegree(options);
  }
  protected needs(): string[] { return this.columns; }
  protected apply(table: ColumnTable): ColumnTable {
    return addPolynomial(table, this.columns, this.options as PolynomialOptions);
  }
}
registerReviver("Polynomial", (j) => {
  const { columns, ...options } = j.options as unknown as PolynomialOptions & { columns: string[] };
  return new PolynomialStep(columns, options);
});
