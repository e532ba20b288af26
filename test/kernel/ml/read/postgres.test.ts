// Tests for read.postgres against a real PostgreSQL server (test/support/postgres.ts: initdb + pg_ctl in a temp dir, 127.0.0.1).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { read, ReadError } from "../../../../kernel/ml/read/index.js";
import { skipWithoutPostgres as skip, startPostgres, type TestPostgres } from "../../../support/postgres.js";

let server: TestPostgres | undefined;
let port = 0;
const connection = () => server!.url;

before(async () => {
  if (skip) return;
  server = await startPostgres();
  port = server.port;
  server.psql("create table weather (day date, city text, temp double precision, rain bigint, note numeric)");
  server.psql("insert into weather values ('2024-01-01', 'Seattle', 8.5, 12, 1.25), ('2024-01-02', 'Seattle', 7.0, 0, null), ('2024-01-01', 'Austin', 18.25, 3, 2.5)");
});

after(() => server?.stop());

test("reads a query's rows with numbers, dates and nulls", { skip }, async () => {
  const t = await read.postgres("select day, city, temp, rain, note from weather order by day, city", { connection: connection() });
  assert.deepEqual(t.columnNames(), ["day", "city", "temp", "rain", "note"]);
  assert.deepEqual(t.array("city"), ["Austin", "Seattle", "Seattle"]);
  assert.deepEqual(t.array("rain"), [3, 12, 0]);
  assert.deepEqual(t.array("note"), [2.5, 1.25, null]);
  assert.ok(t.get("day", 0) instanceof Date);
});

test("binds $1 parameters", { skip }, async () => {
  const t = await read.postgres("select city, avg(temp) as t from weather where temp > $1 group by city", { connection: connection(), params: [7.5] });
  assert.deepEqual(t.objects().sort((a: any, b: any) => a.city.localeCompare(b.city)), [{ city: "Austin", t: 18.25 }, { city: "Seattle", t: 8.5 }]);
});

test("names the server and the query on a SQL error, hiding the password", { skip }, async () => {
  await assert.rejects(read.postgres("select nope from weather", { connection: `postgres://mlnb:secret@127.0.0.1:${port}/postgres` }),
    (e: unknown) => e instanceof ReadError && /mlnb:\*\*\*@127\.0\.0\.1/.test(e.message) && /column "nope" does not exist at character 8 in: select nope/.test(e.message) && !/secret/.test(e.message));
});

test("reports a server that is not there", { skip }, async () => {
  await assert.rejects(read.postgres("select 1", { connection: "postgres://mlnb@127.0.0.1:1/postgres" }), /127\.0\.0\.1:1\/postgres: cannot connect/);
});
