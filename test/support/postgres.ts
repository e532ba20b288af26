// A real PostgreSQL server for tests: initdb + pg_ctl in a temp folder, listening on 127.0.0.1 only.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/** The PostgreSQL bin folder (Debian keeps it versioned under /usr/lib/postgresql), if installed. */
export function pgBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "pg_ctl"))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, "bin") : undefined;
}

/** Why tests needing PostgreSQL are skipped here, or false when they can run. */
export const skipWithoutPostgres: string | false = pgBin() ? false : "PostgreSQL server binaries not installed (apt-get install postgresql; see .ci/apt/ml-ingest.txt)";

/** A running server: its URL (user mlnb, trust auth), a psql runner and stop. */
export interface TestPostgres {
  url: string;
  port: number;
  psql(sql: string, db?: string): string;
  stop(): void;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Start a fresh server (fsync off: test data); stop() stops it and removes its folder. */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = pgBin();
  if (!bin) throw new Error(String(skipWithoutPostgres));
  const dir = mkdtempSync(join(tmpdir(), "mlnb-pg-"));
  const data = join(dir, "data");
  const port = await freePort();
  // initdb refuses to run as root: run the server as the postgres user then
  const asUser = userInfo().uid === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  const run = (cmd: string, args: string[]) => {
    const [file, ...rest] = [...asUser, join(bin, cmd), ...args];
    return execFileSync(file!, rest, { stdio: "pipe" }).toString();
  };
  if (asUser.length) execFileSync("chown", ["postgres", dir]);
  run("initdb", ["-D", data, "-U", "mlnb", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  run("pg_ctl", ["-D", data, "-w", "-l", join(dir, "log"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
  return {
    url: `postgres://mlnb@127.0.0.1:${port}/postgres`,
    port,
    psql: (sql, db = "postgres") => run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "mlnb", "-d", db, "-v", "ON_ERROR_STOP=1", "-q", "-At", "-c", sql]),
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
