// The input schema of a bundle: inferred from the reference table, and checked against incoming rows.

/** One input field: its JSON type, whether null is allowed, and the allowed categories of string fields. */
export interface FieldSchema {
  name: string;
  /** "date": a Date column in the notebook; requests carry it as an ISO 8601 string ("2012-01-01"). */
  type: FieldType;
  nullable: boolean;
  /** Allowed values of a string field (absent: any string). */
  categories?: string[];
}

export type FieldType = "number" | "string" | "boolean" | "date";

export interface Schema {
  fields: FieldSchema[];
}

/** One problem with one field of one row (what a 422 lists). */
export interface FieldError {
  row: number;
  field: string;
  message: string;
}

/** String columns with at most this many distinct values get an allowed-categories list. */
const MAX_CATEGORIES = 100;

type ColumnSource = { columnNames(): string[]; array(name: string): ArrayLike<unknown> };

/** Infer the schema from a table: number/string/boolean per column, nullable if any value is missing. */
export function inferSchema(table: ColumnSource, exclude: string[] = []): Schema {
  const fields: FieldSchema[] = [];
  for (const name of table.columnNames()) {
    if (exclude.includes(name)) continue;
    const values = table.array(name);
    const kinds = new Set<string>();
    const distinct = new Set<string>();
    let nullable = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
        nullable = true;
        continue;
      }
      kinds.add(v instanceof Date ? "date" : typeof v);
      if (typeof v === "string" && distinct.size <= MAX_CATEGORIES) distinct.add(v);
    }
    if (kinds.size > 1) throw new Error(`deploy: column "${name}" mixes ${[...kinds].join(" and ")} values; give an explicit schema`);
    const kind = kinds.size ? [...kinds][0] : "number";
    if (kind !== "number" && kind !== "string" && kind !== "boolean" && kind !== "date") throw new Error(`deploy: column "${name}" has ${kind} values, which JSON requests cannot carry`);
    const field: FieldSchema = { name, type: kind, nullable };
    if (kind === "string" && distinct.size <= MAX_CATEGORIES) field.categories = [...distinct].sort();
    fields.push(field);
  }
  return { fields };
}

/**
 * A date field's value as a Date: a Date stays, an ISO 8601 string is parsed as read.csv parses
 * it ("2012-01-01" is UTC midnight); anything else is null. Shared by checks and prediction.
 */
export function dateValue(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  const m = typeof v === "string" ? /^(\d{4})-(\d{2})-(\d{2})/.exec(v) : null;
  if (!m) return null;
  // Date.parse rolls "2013-02-30" over to March: a day the month does not have is not a date
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  const t = Date.parse(v as string);
  return Number.isNaN(t) ? null : new Date(t);
}

/**
 * A field's value from CSV text, typed by the schema (the server's text/csv and `mlnb predict`
 * read CSV alike): number and boolean fields are converted, an empty field is null; text that
 * does not convert stays a string, so the row check names it.
 */
export function fromText(v: string, type: FieldType | undefined): unknown {
  if (type === "number") return v === "" ? null : Number.isFinite(Number(v)) ? Number(v) : v;
  if (type === "boolean") return v === "" ? null : v === "true" || v === "True" ? true : v === "false" || v === "False" ? false : v;
  return (type === "string" || type === "date") && v === "" ? null : v;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "string" ? `"${v.length > 40 ? `${v.slice(0, 40)}...` : v}"` : typeof v === "object" ? "an object" : String(v);
}

/**
 * Check rows against the schema; every bad field of every row is reported. `ignore` names fields
 * that may be present but are not inputs (such as the model's target).
 */
export function validateRows(rows: unknown[], schema: Schema, ignore: string[] = []): FieldError[] {
  return checkRows(rows, schema, ignore, Infinity).errors;
}

/**
 * Check rows against the schema, keeping only the first `limit` field errors (a hostile body
 * cannot make the reply larger than the request) while `total` counts them all.
 */
export function checkRows(rows: unknown[], schema: Schema, ignore: string[] = [], limit = 100): { errors: FieldError[]; total: number } {
  const errors: FieldError[] = [];
  let total = 0;
  const add = (e: FieldError) => {
    total++;
    if (errors.length < limit) errors.push(e);
  };
  const known = new Set(schema.fields.map((f) => f.name));
  rows.forEach((row, r) => {
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      add({ row: r, field: "", message: `row ${r} must be an object of field values, got ${describe(row)}` });
      return;
    }
    const rec = row as Record<string, unknown>;
    for (const f of schema.fields) {
      // Own properties only: a field named like an Object.prototype member must not see the inherited one.
      const v = Object.hasOwn(rec, f.name) ? rec[f.name] : undefined;
      if (v === undefined || v === null) {
        if (!f.nullable) add({ row: r, field: f.name, message: v === null ? "must not be null" : "is missing" });
        continue;
      }
      if (f.type === "date") {
        if (!dateValue(v)) add({ row: r, field: f.name, message: `must be an ISO 8601 date such as "2012-01-01", got ${describe(v)}` });
        continue;
      }
      if (typeof v !== f.type || (f.type === "number" && !Number.isFinite(v))) {
        add({ row: r, field: f.name, message: `must be a ${f.type}, got ${describe(v)}` });
        continue;
      }
      if (f.categories && !f.categories.includes(v as string)) {
        const allowed = f.categories.slice(0, 10).map((c) => `"${c}"`).join(", ");
        add({ row: r, field: f.name, message: `${describe(v)} is not an allowed category (${allowed}${f.categories.length > 10 ? ", ..." : ""})` });
      }
    }
    for (const k of Object.keys(rec)) if (!known.has(k) && !ignore.includes(k)) add({ row: r, field: describe(k).slice(1, -1), message: "is not an input field" });
  });
  return { errors, total };
}
