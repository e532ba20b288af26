// Raw HTTP/1.1 over node:net for the server tests: malformed request lines, pipelining, slow clients.
import net from "node:net";

/** One parsed response: status code, lower-cased headers, body text. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Parse as many complete responses as `buf` holds (each must carry content-length; replies to
 * HEAD have no body, 1xx interim replies are skipped); returns them and the bytes used.
 */
export function parseResponses(buf: Buffer, isHead: (index: number) => boolean = () => false, first = 0): { responses: RawResponse[]; used: number } {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const end = buf.indexOf("\r\n\r\n", at);
    if (end < 0) break;
    const lines = buf.toString("latin1", at, end).split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? NaN);
    if (!Number.isFinite(status)) throw new Error(`not an HTTP response: ${JSON.stringify(lines[0])} after ${JSON.stringify(buf.toString("latin1", Math.max(0, at - 400), at + 20))}`);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(":");
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    if (status < 200) {
      at = end + 4;
      continue;
    }
    if (headers["transfer-encoding"] === "chunked" && !isHead(first + responses.length)) {
      // Node's own replies (417 to an unknown Expect) are chunked.
      let p = end + 4;
      let body = "";
      let done = false;
      for (;;) {
        const eol = buf.indexOf("\r\n", p);
        if (eol < 0) break;
        const size = parseInt(buf.toString("latin1", p, eol), 16);
        if (buf.length < eol + 2 + size + 2) break;
        body += buf.toString("utf8", eol + 2, eol + 2 + size);
        p = eol + 2 + size + 2;
        if (size === 0) {
          done = true;
          break;
        }
      }
      if (!done) break;
      responses.push({ status, headers, body });
      at = p;
      continue;
    }
    const length = isHead(first + responses.length) ? 0 : Number(headers["content-length"] ?? 0);
    if (buf.length < end + 4 + length) break;
    responses.push({ status, headers, body: buf.toString("utf8", end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
  return { responses, used: at };
}

/**
 * Send `requests` pipelined on one connection and collect the responses in order. Stops early
 * when the server closes the connection; `closed` tells whether it did.
 */
export function pipeline(port: number, requests: (string | Buffer)[]): Promise<{ responses: RawResponse[]; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let buf = Buffer.alloc(0);
    const responses: RawResponse[] = [];
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve({ responses, closed });
    };
    socket.setNoDelay(true);
    socket.on("connect", () => {
      // One write: small pipelined writes would wait on Nagle's algorithm and delayed ACKs.
      socket.write(Buffer.concat(requests.map((r) => (typeof r === "string" ? Buffer.from(r) : r))));
    });
    socket.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      try {
        const { responses: got, used } = parseResponses(buf, (i) => requests[i]?.slice(0, 5).toString() === "HEAD ", responses.length);
        responses.push(...got);
        buf = buf.subarray(used);
      } catch (e) {
        settled = true;
        socket.destroy();
        reject(e);
        return;
      }
      if (responses.length === requests.length) finish(false);
    });
    socket.on("error", () => finish(true));
    socket.on("close", () => finish(true));
  });
}

/** Write `chunks` one every `gapMs`; resolves with the milliseconds until the server closed the socket and what it sent. */
export function slowClient(port: number, chunks: string[], gapMs: number): Promise<{ closedAfterMs: number; sent: number; reply: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const started = Date.now();
    let sent = 0;
    let reply = "";
    let timer: NodeJS.Timeout | undefined;
    const tick = () => {
      if (sent < chunks.length && socket.writable) {
        socket.write(chunks[sent++]);
        timer = setTimeout(tick, gapMs);
      }
    };
    socket.on("connect", tick);
    socket.on("data", (d) => (reply += d.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ closedAfterMs: Date.now() - started, sent, reply });
    });
  });
}

/** A request with a JSON body and an exact content-length. */
export function post(path: string, body: string, headers: Record<string, string> = {}): string {
  const h = { host: "127.0.0.1", "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers };
  return `POST ${path} HTTP/1.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n${body}`;
}
