// The base of row-wise feature steps: transformers with nothing to learn whose options serialize to plain JSON.
import type { ColumnTable } from "arquero";
import type { Transformer, TransformerJSON } from "../prep/base.js";

/**
 * A feature step that computes each row from that row alone (date parts, derived columns,
 * products). `fit` learns nothing (it only checks the columns the step needs), so `transform`
 * works on any table; its options are its whole state, kept as JSON so a bundle can rebuild it.
 */
export abstract class RowWise implements Transformer {
  abstract readonly type: string;
  constructor(readonly options: Record<string, unknown>) {
    assertJson(options, `${new.target.name} options`);
  }

  /** Columns the step reads (checked by fit, named in errors). */
  protected abstract needs(): string[];
  protected abstract apply(table: ColumnTable): ColumnTable;

  fit(table: ColumnTable): this {
    const have = table.columnNames();
    for (const c of this.needs()) if (!have.includes(c)) throw new Error(`${this.type}.fit: no column "${c}" (columns: ${have.join(", ")})`);
    return this;
  }

  transform(table: ColumnTable): ColumnTable {
    return this.apply(table);
  }

  fitTransform(table: ColumnTable): ColumnTable {
    return this.fit(table).transform(table);
  }

  toJSON(): TransformerJSON {
    return { type: this.type, options: structuredClone(this.options), state: null };
  }
}

/**
 * Throw unless `v` survives JSON unchanged (finite numbers, strings, booleans, null, arrays and
 * plain objects of them): a step whose options would change on the way into a bundle must fail
 * when it is made, not serve different numbers later.
 */
export function assertJson(v: unknown, where: string): void {
  if (v === null || typeof v === "string" || typeof v === "boolean") return;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new TypeError(`${where}: ${v} cannot be saved in a bundle (JSON has no NaN or Infinity)`);
    return;
  }
  if (Array.isArray(v)) return v.forEach((x, i) => assertJson(x, `${where}[${i}]`));
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) assertJson(x, `${where}.${k}`);
    return;
  }
  throw new TypeError(`${where}: a ${typeof v === "object" ? (v as object).constructor?.name ?? "object" : typeof v} cannot be saved in a bundle (only JSON values)`);
}
