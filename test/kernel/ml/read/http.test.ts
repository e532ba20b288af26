// Tests for read.http (pagination, retries with backoff, timeout) and read.ndjsonHttp (streamed batches) on a local server.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { read, ReadError } from "../../../../kernel/ml/read/index.js";

const hits = new Map<string, number>();
const items = Array.from({ length: 25 }, (_, i) => ({ id: i, name: `item ${i}` }));
let releaseStream: () => void = () => {};

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, "http://x");
  const count = (hits.get(url.pathname) ?? 0) + 1;
  hits.set(url.pathname, count);
  const json = (body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(200, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  switch (url.pathname) {
    case "/pages": { // page numbers, 10 per page, empty page ends
      const page = Number(url.searchParams.get("page"));
      return json({ data: items.slice((page - 1) * 10, page * 10) });
    }
    case "/link": { // Link rel="next" headers
      const at = Number(url.searchParams.get("at") ?? 0);
      const next = at + 10 < items.length ? { link: `</link?at=${at + 10}>; rel="next"` } : undefined;
      return json(items.slice(at, at + 10), next);
    }
    case "/cursor": {
      const at = Number(url.searchParams.get("after") ?? 0);
      return json({ results: items.slice(at, at + 20), meta: { next: at + 20 < items.length ? at + 20 : null } });
    }
    case "/flaky": // fails twice with 503, then works
      if (count <= 2) { res.writeHead(503, count === 1 ? { "retry-after": "0" } : {}); return void res.end("busy"); }
      return json([{ ok: true }]);
    case "/missing":
      res.writeHead(404); return void res.end();
    case "/slow":
      setTimeout(() => json([]), 2000).unref(); return;
    case "/stream": { // NDJSON that arrives in two parts, the second only after the test has seen the first batch
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.write(items.slice(0, 10).map((r) => JSON.stringify(r)).join("\n") + "\n");
      releaseStream = () => { res.end(items.slice(10).map((r) => JSON.stringify(r)).join("\n") + "\n"); };
      return;
    }
  }
  res.writeHead(500); res.end();
}

const server = createServer(handle);
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => server.close());

test("follows page-number pagination until an empty page", async () => {
  const t = await read.http(`${base}/pages`, { paginate: { page: "page" } });
  assert.deepEqual(t.array("id"), items.map((r) => r.id));
  assert.equal(hits.get("/pages"), 4);
});

test("follows Link rel=next headers by default and cursors by option", async () => {
  const linked = await read(`${base}/link`);
  assert.equal(linked.numRows(), 25);
  const cursor = await read.http(`${base}/cursor`, { paginate: { cursor: "meta.next", param: "after" } });
  assert.deepEqual(cursor.array("name"), items.map((r) => r.name));
});

test("retries 503 responses with backoff and then succeeds", async () => {
  const started = Date.now();
  const t = await read.http(`${base}/flaky`, { retries: 3, backoffMs: 50 });
  assert.deepEqual(t.objects(), [{ ok: true }]);
  assert.equal(hits.get("/flaky"), 3);
  assert.ok(Date.now() - started >= 100, "waited 0 s (Retry-After) then 100 ms");
});

test("fails at once on a 404, naming the URL and status", async () => {
  await assert.rejects(read.http(`${base}/missing`, { retries: 3 }), (e: unknown) => e instanceof ReadError && /\/missing: HTTP 404/.test(e.message));
  assert.equal(hits.get("/missing"), 1);
});

test("times out a slow server after the retries", async () => {
  await assert.rejects(read.http(`${base}/slow`, { timeoutMs: 100, retries: 1, backoffMs: 10 }), /\/slow: timed out after 100 ms \(after 2 attempts\)/);
});

test("streams NDJSON over HTTP batch by batch while the response is still open", { timeout: 10_000 }, async () => {
  const seen: number[] = [];
  for await (const batch of read.ndjsonHttp(`${base}/stream`, { batchSize: 10 })) {
    seen.push(batch.numRows());
    if (seen.length === 1) releaseStream();
  }
  assert.deepEqual(seen, [10, 10, 5]);
});
