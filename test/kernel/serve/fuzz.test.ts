import { test } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { inputs, servedPenguins } from "./fixture.js";
import { pipeline, post } from "./raw.js";
import { mulberry32 } from "../../../kernel/ml/context.js";

// Seeded: a failure names the request number, and the same seed replays the same requests.
const SEED = 15;
const TOTAL = Number(process.env.MLNB_FUZZ_REQUESTS ?? 100_000);
const SOCKETS = 16;
const DEPTH = 32;

const logged: string[] = [];
const setup = servedPenguins({ token: "fuzz", maxBodyBytes: 64 * 1024, log: (l) => logged.push(l) });


interface Case {
  n: number;
  text: string | Buffer;
  /** The prediction a valid request must get back. */
  expect?: unknown;
}

/** Hostile and malformed requests, with one valid /predict in ten. */
function generator(rows: Record<string, unknown>[], expected: unknown[]) {
  const rnd = mulberry32(SEED);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const auth = "Bearer fuzz";
  // Printable noise, cut from one seeded pool (building it per request would cost more than the server's work).
  const pool = Array.from({ length: 1 << 16 }, () => String.fromCharCode(32 + int(95))).join("");
  const junk = (n: number) => {
    const at = int(pool.length - n);
    return pool.slice(at, at + n);
  };
  const row = () => rows[int(rows.length)];
  const columns = Object.keys(rows[0]);
  const bodies: (() => string | Buffer)[] = [
    () => JSON.stringify([row()]).slice(0, int(60)),
    () => { const s = JSON.stringify([row()]); const i = int(s.length); return s.slice(0, i) + junk(1 + int(3)) + s.slice(i); },
    () => "[".repeat(1 + int(5000)) + "]".repeat(int(5000)),
    () => `{"a":`.repeat(1 + int(5000)) + "1" + "}".repeat(int(5000)),
    () => JSON.stringify(Array.from({ length: 1 + int(200) }, () => ({ Island: int(9), [junk(1 + int(60))]: [] }))),
    () => JSON.stringify({ dataframe_split: { columns: pick([columns, [...columns, "__proto__"], ["constructor"], [1, 2], "x", null]), data: pick([[Object.values(row())], [[1]], "x", [[null, {}, []]], null]) } }),
    () => JSON.stringify({ inputs: pick([{ a: [1, 2], b: [1] }, { __proto__x: [1] }, [row()], "x", 7, null, { [junk(5)]: "no" }]) }),
    () => `[${JSON.stringify(row()).slice(0, -1)}, "${pick(["__proto__", "constructor", "prototype"])}": {"x": 1}}]`,
    () => JSON.stringify([{ ...row(), [pick(["toString", "valueOf", "hasOwnProperty", "__defineGetter__"])]: 1 }]),
    () => JSON.stringify([Object.fromEntries(columns.map((c) => [c, pick([1e308, -0, "1e999", true, [], {}, null, "\u0000", "\ud800", junk(100)])]))]),
    () => pick(["", "null", "42", '"x"', "true", "{}", "[]", "[[]]", "[null]", "[1e999]", '{"instances": 1}', '{"dataframe_records": {}}']),
    () => Buffer.from(Array.from({ length: int(300) }, () => int(256))),
    () => "\ufeff" + JSON.stringify([row()]),
    () => JSON.stringify([row()]) + " ".repeat(int(100)) + pick(["", "x", "]", "\u0000"]),
    () => "x".repeat(60 * 1024 + int(10 * 1024)),
  ];
  const paths = ["/predict", "/invocations", "/health", "/ping", "/metrics", "/drift", "/metadata", "/nope", "//[", "/%zz", "/predict?" + "q".repeat(500), "/predict#x", "/../etc/passwd", "*", "/predict/../predict", "/PREDICT"];
  const methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "POST"];
  const hosts = ["127.0.0.1", "localhost:9", "evil.example", "[::1]:80", "a b", "", "127.0.0.1:99999", "x".repeat(300)];
  const types = ["application/json", "application/json; charset=utf-8", "text/csv", "text/plain", "", "application/json;;;", "multipart/form-data; boundary=x", junk(20)];
  const auths = [auth, auth, "Bearer nope", "Basic Zm9vOmJhcg==", "Bearer ", junk(40)];
  const raw: (() => string)[] = [
    () => "GET //[ HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n",
    () => `${junk(1 + int(100))}\r\n\r\n`,
    () => `GET /health HTTP/${pick(["0.9", "2.0", "1.x", "9"])}\r\n\r\n`,
    () => `GET /health HTTP/1.1\r\n${junk(10).replace(/:/g, "")}\r\n\r\n`,
    () => `POST /predict HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: ${pick(["-1", "abc", "1e3", "99999999999999999999", "5, 6"])}\r\n\r\n[]`,
    () => "POST /predict HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n[]",
    () => "POST /predict HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\ncontent-length: 2\r\n\r\n0\r\n\r\n",
    () => `POST /predict HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n\r\n${pick(["zz", "-1", "fffffffffffffffff"])}\r\n[]\r\n0\r\n\r\n`,
    () => `GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-big: ${"a".repeat(17 * 1024)}\r\n\r\n`,
    () => `GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-nul: a\u0000b\r\n\r\n`,
    () => `GET /he\u0001alth HTTP/1.1\r\n\r\n`,
    () => `GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n`,
    () => `CONNECT 127.0.0.1:22 HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`,
  ];
  let n = 0;
  return (): Case & { raw: boolean } => {
    const i = n++;
    const kind = rnd();
    if (kind < 0.1) {
      const k = int(rows.length);
      // Valid requests go alone, as a well-behaved client's would, while hostile ones run beside them.
      return { n: i, raw: true, text: post(pick(["/predict", "/invocations"]), JSON.stringify([rows[k]]), { authorization: auth }), expect: expected[k] };
    }
    if (kind < 0.2) return { n: i, raw: true, text: pick(raw)() };
    const body = pick(bodies)();
    const head: string[] = [`${pick(methods)} ${pick(paths)} HTTP/1.1`];
    if (rnd() < 0.95) head.push(`host: ${pick(hosts)}`);
    if (rnd() < 0.8) head.push(`content-type: ${pick(types)}`);
    if (rnd() < 0.8) head.push(`authorization: ${pick(auths)}`);
    if (rnd() < 0.2) head.push(`${pick(["accept", "x-forwarded-for", "cookie", "expect", "connection"])}: ${pick([junk(30), "100-continue", "close", "keep-alive"])}`);
    head.push(`content-length: ${Buffer.byteLength(body)}`);
    return { n: i, raw: false, text: Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), Buffer.isBuffer(body) ? body : Buffer.from(body)]) };
  };
}

function heapAfterGc(): number {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test("100,000 seeded hostile requests over real HTTP: no 5xx, no crash, flat memory, valid requests still answered right", async (t) => {
  const { url, rows, predictor, srv } = await setup;
  const port = Number(new URL(url).port);
  const sample = inputs(rows);
  const expected = predictor.predict(sample).predictions;
  const next = generator(sample, expected);
  const statuses = new Map<number, number>();
  const wrong: string[] = [];
  const dropped: string[] = [];
  let valid = 0;
  let made = 0;
  let heapStart = 0;
  const queue: (Case & { raw: boolean })[] = [];

  async function worker(): Promise<void> {
    for (;;) {
      while (queue.length < DEPTH && made < TOTAL) {
        queue.push(next());
        made++;
        if (made === TOTAL / 10) heapStart = heapAfterGc();
      }
      if (queue.length === 0) return;
      // A raw (malformed) request goes alone on its own socket; the rest are pipelined.
      const batch = queue[0].raw ? queue.splice(0, 1) : queue.splice(0, Math.max(1, queue.findIndex((c) => c.raw) < 0 ? DEPTH : queue.findIndex((c) => c.raw)));
      const { responses } = await pipeline(port, batch.map((c) => c.text));
      responses.forEach((r, j) => {
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        const c = batch[j];
        if (r.status >= 500) wrong.push(`request ${c.n}: ${r.status} ${r.body.slice(0, 200)}`);
        if (c.expect !== undefined) {
          valid++;
          const got = r.status === 200 ? JSON.parse(r.body).predictions?.[0] : undefined;
          if (got !== c.expect) wrong.push(`valid request ${c.n}: ${r.status} ${r.body.slice(0, 200)}`);
        }
      });
      const k = responses.length;
      if (k < batch.length) {
        // The server closed after k replies. If the last reply said so, request k was not read: send
        // it again. Otherwise a request in the pipeline broke the connection (node drops the replies
        // in flight then): request k is retried alone, and only a request dropped alone counts.
        const said = k > 0 && responses[k - 1].headers.connection === "close";
        if (said) queue.unshift(...batch.slice(k));
        else if (batch.length > 1) queue.unshift({ ...batch[k], raw: true }, ...batch.slice(k + 1));
        else {
          const c = batch[k];
          if (c.expect !== undefined) wrong.push(`valid request ${c.n}: connection closed without a reply`);
          dropped.push(String(c.text).slice(0, 120));
        }
      }
    }
  }

  const started = Date.now();
  await Promise.all(Array.from({ length: SOCKETS }, worker));
  const seconds = (Date.now() - started) / 1000;
  const heapEnd = heapAfterGc();
  const answered = [...statuses.values()].reduce((a, b) => a + b, 0);
  t.diagnostic(`${TOTAL} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; closed without a reply: ${dropped.length}; heap ${(heapStart / 1e6).toFixed(1)} -> ${(heapEnd / 1e6).toFixed(1)} MB`);
  assert.deepEqual(wrong.slice(0, 10), []);
  assert.deepEqual(logged.slice(0, 3), []);
  assert.equal(answered + dropped.length, TOTAL);
  assert.ok(valid > TOTAL / 20, `only ${valid} valid requests were answered`);
  assert.ok(heapEnd - heapStart < 16e6, `heap grew by ${((heapEnd - heapStart) / 1e6).toFixed(1)} MB`);
  assert.equal((await fetch(`${url}/health`)).status, 200);
  assert.equal(srv.metrics.count(500), 0);
});
