// Tests for read.postgres against a real PostgreSQL server this file starts (initdb + pg_ctl in a temp dir, 127.0.0.1).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { read, ReadError } from "../../../../kernel/ml/read/index.js";

/** The PostgreSQL bin folder (Debian keeps it versioned under /usr/lib/postgresql), if installed. */
function pgBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "pg_ctl"))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], "bin") : undefined;
}

const bin = pgBin();
const skip = bin ? false : "PostgreSQL server binaries not installed (apt-get install postgresql; see .ci/apt/ml-ingest.txt)";
const dir = mkdtempSync(join(tmpdir(), "mlnb-pg-"));
const data = join(dir, "data");
let port = 0;
// initdb refuses to run as root: run the server as the postgres user then
const asUser = userInfo().uid === 0 ? ["runuser", "-u", "postgres", "--"] : [];
const run = (cmd: string, args: string[]) => {
  const [file, ...rest] = [...asUser, join(bin!, cmd), ...args];
  return execFileSync(file, rest, { stdio: "pipe" }).toString();
};
const connection = () => `postgres://mlnb@127.0.0.1:${port}/postgres`;

before(async () => {
  if (!bin) return;
  port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
  if (asUser.length) execFileSync("chown", ["postgres", dir]);
  run("initdb", ["-D", data, "-U", "mlnb", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  run("pg_ctl", ["-D", data, "-w", "-l", join(dir, "log"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
  const setup = [
    "create table weather (day date, city text, temp double precision, rain bigint, note numeric)",
    "insert into weather values ('2024-01-01', 'Seattle', 8.5, 12, 1.25), ('2024-01-02', 'Seattle', 7.0, 0, null), ('2024-01-01', 'Austin', 18.25, 3, 2.5)",
  ];
  for (const sql of setup) run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "mlnb", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]);
});

after(() => {
  if (bin && existsSync(data)) {
    try { run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]); } catch { /* already stopped */ }
  }
  rmSync(dir, { recursive: true, force: true });
});

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
