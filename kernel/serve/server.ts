// The model server: node:http routes for predict, health, metadata, Prometheus metrics and live drift.

import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Prediction, Predictor } from "../ml/deploy/load.js";
import { checkRows } from "../ml/deploy/schema.js";
import { checkContentType, checkHost, HttpError, LOOPBACK_HOSTS, readBody, requestPath, sendJson, sendText } from "./http.js";
import { driftLines, Metrics } from "./metrics.js";
import { openApi } from "./openapi.js";
import { MAX_ROWS, parseCsvRows, parseRows } from "./parse.js";
import { DriftWindow } from "./window.js";

export interface ServeOptions {
  /** Require `Authorization: Bearer <token>` on every route but /health and /ping. */
  token?: string;
  /** Largest request body in bytes (default 1 MiB); larger ones get a 413. */
  maxBodyBytes?: number;
  /** Rows of recent inputs kept for live drift (default 1000). */
  windowSize?: number;
  /** Where to log one line per server error (default: nowhere). */
  log?: (line: string) => void;
  /** Host header values accepted (names, without port). Default: loopback names when bound to loopback, anything otherwise. */
  allowedHosts?: string[];
  /** Milliseconds a client has to send the request headers (default 10 s); slower sockets are closed. */
  headersTimeoutMs?: number;
  /** Milliseconds a client has to send the whole request, body included (default 30 s). */
  requestTimeoutMs?: number;
}

export interface ModelServer {
  server: http.Server;
  metrics: Metrics;
  window: DriftWindow;
  /** Start listening (port 0 picks a free port); resolves with the URL. Loopback unless a host is given. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number; host: string }>;
  /** Stop accepting, let in-flight requests finish (up to `graceMs`), then close every socket. */
  close(graceMs?: number): Promise<void>;
}

const ROUTES = new Set(["/predict", "/invocations", "/health", "/ping", "/metadata", "/metrics", "/drift", "/openapi.json"]);
const OPEN_ROUTES = new Set(["/health", "/ping"]);
/** A 422 lists at most this many field errors (and the total count). */
export const MAX_FIELD_ERRORS = 100;

interface Pending {
  rows: Record<string, unknown>[];
  resolve(p: Prediction): void;
  reject(e: unknown): void;
}

/**
 * Micro-batching: requests that arrive in the same event-loop turn are predicted in one call,
 * which amortises the per-call cost of the tensors. A failing batch is retried request by
 * request so one bad request cannot fail its neighbours.
 */
function batcher(predict: (rows: Record<string, unknown>[]) => Prediction): (rows: Record<string, unknown>[]) => Promise<Prediction> {
  let queue: Pending[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    if (batch.length === 1) {
      try {
        batch[0].resolve(predict(batch[0].rows));
      } catch (e) {
        batch[0].reject(e);
      }
      return;
    }
    let all: Prediction;
    try {
      all = predict(batch.flatMap((p) => p.rows));
    } catch {
      for (const p of batch) {
        try {
          p.resolve(predict(p.rows));
        } catch (e) {
          p.reject(e);
        }
      }
      return;
    }
    let offset = 0;
    for (const p of batch) {
      const end = offset + p.rows.length;
      p.resolve({
        predictions: all.predictions.slice(offset, end),
        ...(all.probabilities ? { probabilities: all.probabilities.slice(offset, end), labels: all.labels } : {}),
      });
      offset = end;
    }
  };
  return (rows) =>
    new Promise<Prediction>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ rows, resolve, reject });
    });
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

/** Create (but do not start) the HTTP server for a loaded bundle. */
export function createServer(predictor: Predictor, opts: ServeOptions = {}): ModelServer {
  const metrics = new Metrics();
  // Dates move forward by nature: live days are never among the training days, so no drift is measured on them.
  const dateFields = new Set(predictor.schema.fields.filter((f) => f.type === "date").map((f) => f.name));
  const driftReference = { ...predictor.reference, columns: Object.fromEntries(Object.entries(predictor.reference.columns).filter(([c]) => !dateFields.has(c))) };
  const window = new DriftWindow(driftReference, opts.windowSize ?? 1000);
  const limit = opts.maxBodyBytes ?? 1024 * 1024;
  const tokenDigest = opts.token ? digest(opts.token) : null;
  const predict = batcher((rows) => predictor.predict(rows));
  const ignore = [predictor.manifest.target];
  const csvTypes = Object.fromEntries(predictor.schema.fields.map((f) => [f.name, f.type]));

  function authorised(req: http.IncomingMessage): boolean {
    if (!tokenDigest) return true;
    const h = req.headers.authorization ?? "";
    const m = /^Bearer\s+(.+)$/i.exec(h);
    return !!m && timingSafeEqual(digest(m[1].trim()), tokenDigest);
  }

  function metadata() {
    const m = predictor.manifest;
    return {
      task: m.task,
      kind: m.kind,
      target: m.target,
      features: m.features,
      labels: m.labels,
      schema: predictor.schema,
      metrics: predictor.metrics,
      provenance: predictor.provenance,
      reference: { rows: predictor.reference.rows, sampled: predictor.reference.sampled, summary: predictor.reference.summary },
    };
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    if (!OPEN_ROUTES.has(path) && !authorised(req)) {
      throw new HttpError(401, req.headers.authorization ? "wrong token" : "missing token: send Authorization: Bearer <token>");
    }
    const method = req.method ?? "GET";
    const want = path === "/predict" || path === "/invocations" ? "POST" : "GET";
    if (method !== want && !(want === "GET" && method === "HEAD")) throw new HttpError(405, `${path} accepts ${want}, not ${method}`);
    switch (path) {
      case "/health":
      case "/ping":
        return sendJson(res, 200, { status: "ok" });
      case "/metadata":
        return sendJson(res, 200, metadata());
      case "/openapi.json": {
        const m = predictor.manifest;
        return sendJson(res, 200, openApi(predictor.schema, { task: m.task, kind: m.kind, target: m.target, labels: m.labels, maxRows: MAX_ROWS, maxFieldErrors: MAX_FIELD_ERRORS }));
      }
      case "/metrics": {
        const drift = window.drift();
        return sendText(res, 200, metrics.render(driftLines(drift.report, window.rows)), "text/plain; version=0.0.4; charset=utf-8");
      }
      case "/drift": {
        const drift = window.drift();
        return sendJson(res, 200, { windowRows: window.rows, windowSize: window.size, referenceRows: predictor.reference.sampled, report: drift.report, ...(drift.error ? { message: drift.error } : {}) });
      }
      default: {
        const type = checkContentType(req, path === "/invocations" ? ["application/json", "text/csv"] : ["application/json"]);
        const body = await readBody(req, limit);
        const rows = type === "text/csv" ? parseCsvRows(body, csvTypes) : parseRows(body);
        const { errors, total } = checkRows(rows, predictor.schema, ignore, MAX_FIELD_ERRORS);
        if (total) {
          const shown = total > errors.length ? ` (the first ${errors.length} listed)` : "";
          throw new HttpError(422, `${total} field${total > 1 ? "s do" : " does"} not fit the input schema${shown}`, errors, { total });
        }
        const valid = rows as Record<string, unknown>[];
        const out = await predict(valid);
        window.push(valid);
        metrics.predictedRows += valid.length;
        return sendJson(res, 200, out);
      }
    }
  }

  // Filled in by listen: which Host headers this server answers (DNS rebinding defence on loopback).
  let hosts: Set<string> | null = opts.allowedHosts ? new Set(opts.allowedHosts.map((h) => h.toLowerCase())) : null;

  // The one error boundary: whatever a request carries ends as an HTTP reply, never as a throw.
  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const start = process.hrtime.bigint();
    let name = "other";
    let path = "";
    res.on("finish", () => metrics.observe(name, res.statusCode, Number(process.hrtime.bigint() - start) / 1e9));
    const fail = (e: unknown) => {
      try {
        const status = e instanceof HttpError ? e.status : 500;
        if (status === 500) opts.log?.(`mlnb serve: ${req.method} ${path.slice(0, 200)}: ${(e as Error)?.stack ?? String(e)}`);
        if (res.headersSent || res.destroyed) {
          res.destroy();
          return;
        }
        const body: Record<string, unknown> = { error: e instanceof Error ? e.message : String(e) };
        if (e instanceof HttpError && e.details !== undefined) body.errors = e.details;
        if (e instanceof HttpError && e.extra) Object.assign(body, e.extra);
        // A refused body may still be arriving: close the connection rather than parse its rest.
        // A small unread body is drained by node and the connection kept; a chunked or large one is not worth reading.
        const declared = Number(req.headers["content-length"] ?? 0);
        const costly = req.headers["transfer-encoding"] !== undefined || !(declared <= Math.min(limit, 64 * 1024));
        sendJson(res, status, body, costly && !req.complete ? { connection: "close" } : {});
      } catch (inner) {
        opts.log?.(`mlnb serve: could not reply: ${(inner as Error)?.message}`);
        res.destroy();
      }
    };
    try {
      path = requestPath(req.url);
      name = ROUTES.has(path) ? path : "other";
      checkHost(req, hosts);
      if (name === "other") throw new HttpError(404, `no route ${path.slice(0, 100)} (routes: ${[...ROUTES].join(", ")})`);
      route(req, res, path).catch(fail);
    } catch (e) {
      fail(e);
    }
  }

  const server = http.createServer({ requestTimeout: opts.requestTimeoutMs ?? 30_000, headersTimeout: opts.headersTimeoutMs ?? 10_000, connectionsCheckingInterval: 1000 }, handle);
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    // Malformed request lines and headers, oversized headers, timeouts: answered by status, then closed.
    const code = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : "400 Bad Request";
    if (socket.writable && !(socket as { _httpMessage?: unknown })._httpMessage) socket.end(`HTTP/1.1 ${code}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
  server.on("error", (e) => opts.log?.(`mlnb serve: server error: ${e.message}`));

  return {
    server,
    metrics,
    window,
    listen(port = 8080, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const a = server.address() as AddressInfo;
          if (!hosts && LOOPBACK_HOSTS.has(a.address)) hosts = LOOPBACK_HOSTS;
          const shown = a.family === "IPv6" ? `[${a.address}]` : a.address;
          resolve({ url: `http://${shown}:${a.port}`, port: a.port, host: a.address });
        });
      });
    },
    close(graceMs = 5000) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
