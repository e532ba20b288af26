// read.postgres: the result of a SQL query on a PostgreSQL server (node-postgres), one connection per read.
import type pg from "pg";
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { setRoot } from "../lineage.js";
import { ReadError } from "./errors.js";

export interface PostgresOptions {
  /** A connection string (postgres://user:pass@host:port/db) or pg client config; default from PG* env vars. */
  connection?: string | pg.ClientConfig;
  /** $1, $2, ... parameters. */
  params?: unknown[];
}

function describe(connection: PostgresOptions["connection"]): string {
  if (typeof connection === "string") return connection.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
  const c = connection ?? {};
  return `postgres://${c.user ?? process.env.PGUSER ?? ""}@${c.host ?? process.env.PGHOST ?? "localhost"}:${c.port ?? process.env.PGPORT ?? 5432}/${c.database ?? process.env.PGDATABASE ?? ""}`;
}

/**
 * Run a query and return its rows as a table (column order from the result's fields). int8 and
 * numeric values, which pg returns as strings, become numbers. Errors name the server (without
 * the password) and the query.
 */
export async function readPostgres(sql: string, options: PostgresOptions = {}): Promise<ColumnTable> {
  const where = describe(options.connection);
  const config: pg.ClientConfig = typeof options.connection === "string" ? { connectionString: options.connection } : { ...(options.connection ?? {}) };
  // Loaded here, not at import: a notebook that never reads Postgres does not pay for the driver.
  const { default: { Client } } = await import("pg");
  const client = new Client(config);
  try {
    await client.connect();
  } catch (e) {
    throw new ReadError(where, `cannot connect: ${(e as Error).message}`, undefined, undefined, { cause: e });
  }
  try {
    let res: pg.QueryArrayResult;
    try {
      res = await client.query({ text: sql, values: options.params, rowMode: "array" });
    } catch (e) {
      const err = e as Error & { position?: string };
      throw new ReadError(where, `SQL error: ${err.message}${err.position ? ` at character ${err.position}` : ""} in: ${sql}`, undefined, undefined, { cause: e });
    }
    // 20 = int8, 1700 = numeric: pg keeps them as strings to avoid precision loss
    const numeric = new Set([20, 1700]);
    const data: Record<string, unknown[]> = {};
    res.fields.forEach((f, j) => {
      data[f.name] = res.rows.map((r) => (numeric.has(f.dataTypeID) && r[j] !== null ? Number(r[j]) : r[j]));
    });
    const table = aq.table(data);
    setRoot(table, { kind: "postgres", name: `${where}: ${sql}` }, `postgres:${where}:${sql}:${JSON.stringify(options.params ?? [])}`);
    return table;
  } finally {
    await client.end().catch(() => {});
  }
}
