// features.derive: new columns from arquero expressions (strings or arrow functions over a row `d`), now or as a bundle step.
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { registerReviver } from "../prep/base.js";
import { RowWise } from "./rowWise.js";

type Expr = string | ((d: any, $: any) => unknown);

/**
 * `features.derive(table, { ratio: "d.a / d.b", logMass: (d) => op.log(d.mass) })`: arquero's
 * derive (so expressions may use `op.*` and must not capture outer variables; pass those via
 * `params`), kept as a named feature step for readability. Lineage follows through derive.
 * Without a table, `features.derive(values, params)` is the same step as a transformer.
 */
export function derive(table: ColumnTable, values: Record<string, Expr>, params?: Record<string, unknown>): ColumnTable;
export function derive(values: Record<string, Expr>, params?: Record<string, unknown>): DeriveStep;
export function derive(a: ColumnTable | Record<string, Expr>, b?: Record<string, unknown>, c?: Record<string, unknown>): ColumnTable | DeriveStep {
  if (isTable(a)) return deriveNow(a, b as Record<string, Expr>, c);
  return new DeriveStep(a, b);
}

function isTable(v: unknown): v is ColumnTable {
  return typeof (v as ColumnTable | null)?.columnNames === "function" && typeof (v as ColumnTable).derive === "function";
}

function deriveNow(table: ColumnTable, values: Record<string, Expr>, params?: Record<string, unknown>): ColumnTable {
  const t = params ? (table.params(params) as ColumnTable) : table;
  return t.derive(values as never) as ColumnTable;
}

/**
 * Derived columns as a transformer. Each expression is kept as its source text: arquero itself
 * compiles a function from its text (it cannot capture variables), so the text is the whole
 * expression and a revived step computes exactly what the notebook computed. Revived from a
 * bundle, the text goes through arquero's expression parser, which admits column references,
 * `$` params, `op.*` calls and operators, and refuses other calls, globals, `new`, loops and
 * assignment. A bundle is still code its author wrote: serve bundles you trust.
 */
export class DeriveStep extends RowWise {
  readonly type = "Derive";
  constructor(values: Record<string, Expr>, params?: Record<string, unknown>) {
    if (!values || typeof values !== "object") throw new TypeError("features.derive: give an object of new column names to expressions");
    const exprs: Record<string, string> = {};
    for (const [name, e] of Object.entries(values)) {
      if (typeof e === "string") exprs[name] = e;
      else if (typeof e === "function") exprs[name] = e.toString();
      else throw new TypeError(`features.derive: column "${name}": an expression must be a string or an arrow function over d (escaped functions cannot be saved in a bundle)`);
    }
    super(params ? { values: exprs, params } : { values: exprs });
    // Parse now (no table needed): a bad expression fails where it is written or when a bundle loads, not on a request.
    // The scope gives arquero the params to check `$.name` against and accepts any column name (columns are checked on use).
    const scope = { params: () => params ?? {}, column: () => ({}), columnNames: () => [] };
    for (const [name, text] of Object.entries(exprs)) {
      try {
        aq.parse({ [name]: text }, { ast: true, table: scope } as never);
      } catch (e) {
        throw new Error(`features.derive: column "${name}": ${(e as Error).message.split("\n")[0]}`);
      }
    }
  }
  protected needs(): string[] { return []; }
  protected apply(table: ColumnTable): ColumnTable {
    const { values, params } = this.options as { values: Record<string, string>; params?: Record<string, unknown> };
    return deriveNow(table, values, params);
  }
}
registerReviver("Derive", (j) => {
  const { values, params } = j.options as { values: Record<string, string>; params?: Record<string, unknown> };
  if (!values || typeof values !== "object") throw new Error('prep.fromJSON: a Derive step needs options.values (column name -> expression text)');
  for (const [k, v] of Object.entries(values)) if (typeof v !== "string") throw new Error(`prep.fromJSON: Derive column "${k}" must be an expression string`);
  return new DeriveStep(values, params);
});
