// Small node:http helpers for the model server: typed HTTP errors, bounded body reading, JSON replies.

import type { IncomingMessage, ServerResponse } from "node:http";

/** An error that becomes an HTTP response with this status and a JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Read the whole request body, refusing (413) bodies over `limit` bytes without buffering them. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new HttpError(413, `request body of ${declared} bytes is over the limit of ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (over) {
        // A client that keeps sending far past the limit is cut off.
        if (size > 16 * limit) req.destroy();
        return;
      }
      if (size > limit) {
        // Keep draining (discarding) so the client can read the 413 instead of a reset.
        over = true;
        chunks.length = 0;
        reject(new HttpError(413, `request body is over the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks, size));
    });
    req.on("error", (e) => {
      if (!over) reject(new HttpError(400, `could not read the request body: ${e.message}`));
    });
  });
}

/** Send a JSON reply with an exact Content-Length. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Send a plain-text reply. */
export function sendText(res: ServerResponse, status: number, text: string, contentType = "text/plain; charset=utf-8"): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Host names a loopback-bound server answers to (a browser page on another name cannot reach it by DNS rebinding). */
export const LOOPBACK_HOSTS: Set<string> = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/**
 * The path of a request target, checked by hand (no URL parser that throws): it must start with
 * one "/", carry only visible ASCII, and a query string is dropped. Anything else is a 400.
 */
export function requestPath(target: string | undefined): string {
  const t = target ?? "";
  if (t.length === 0 || t.length > 2048) throw new HttpError(t.length ? 414 : 400, t.length ? "request target is too long" : "empty request target");
  const q = t.search(/[?#]/);
  const path = q < 0 ? t : t.slice(0, q);
  if (path[0] !== "/" || path[1] === "/" || !/^[\x21-\x7e]*$/.test(path)) throw new HttpError(400, `bad request target: it must be a path starting with one "/"`);
  return path;
}

/** Refuse (403) a Host header not in `allowed` (null: any well-formed host). */
export function checkHost(req: IncomingMessage, allowed: Set<string> | null): void {
  const host = req.headers.host;
  if (host === undefined) return; // HTTP/1.0 clients may omit it; node refuses HTTP/1.1 without one.
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/.exec(host);
  if (!m) throw new HttpError(400, "malformed Host header");
  if (allowed && !allowed.has(m[1].toLowerCase())) throw new HttpError(403, `host "${m[1].slice(0, 100)}" is not served here (allowed: ${[...allowed].join(", ")}); start mlnb serve with --host or --allowed-host`);
}

/** Refuse (415) a request body whose Content-Type is not one of `types` (media type only, parameters ignored). */
export function checkContentType(req: IncomingMessage, types: string[]): string {
  const raw = req.headers["content-type"];
  const type = (raw ?? "").split(";")[0].trim().toLowerCase();
  if (!types.includes(type)) throw new HttpError(415, `Content-Type must be ${types.join(" or ")}, got ${raw ? `"${raw.slice(0, 100)}"` : "none"}`);
  return type;
}
