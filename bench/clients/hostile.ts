// Hostile clients for the serve benchmark, run in their own process: slow headers, slow bodies, oversized bodies, malformed JSON.

/**
 * A node ES module (run with `node --input-type=module -e`) that attacks env URL until SIGTERM,
 * then prints one JSON line of counts. Rates are fixed so that "with hostile clients" means the
 * same load on every run: SLOW sockets held open by headers sent a byte at a time (slowloris) and
 * as many by bodies trickled a byte at a time, an oversized body (2 MiB, over the 1 MiB limit)
 * every 50 ms (at most 4 in flight), and two malformed JSON bodies every 2 ms over 8 keep-alive
 * connections (at most 32 in flight). The counts say how many were sent and how each was answered.
 */
export const HOSTILE = `
import http from "node:http";
import net from "node:net";
const url = new URL(process.env.URL);
const SLOW = Number(process.env.SLOW ?? 128);
const stats = { slowHeaderSockets: 0, slowBodySockets: 0, slowClosedByServer: 0, oversized: 0, malformed: 0, status: {}, errors: 0 };
let stopping = false;
const count = (code) => (stats.status[code] = (stats.status[code] ?? 0) + 1);

function slow(kind) {
  if (stopping) return;
  const s = net.connect(Number(url.port), url.hostname);
  let timer;
  s.on("connect", () => {
    if (kind === "header") {
      stats.slowHeaderSockets++;
      s.write("POST /predict HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nX-Slow: ");
      timer = setInterval(() => s.write("a"), 1000);
    } else {
      stats.slowBodySockets++;
      s.write("POST /predict HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Type: application/json\\r\\nContent-Length: 100000\\r\\n\\r\\n[");
      timer = setInterval(() => s.write(" "), 1000);
    }
  });
  s.on("data", () => {});
  s.on("error", () => {});
  s.on("close", () => {
    clearInterval(timer);
    if (!stopping) stats.slowClosedByServer++;
    setTimeout(() => slow(kind), 100);
  });
}
for (let i = 0; i < SLOW; i++) slow(i % 2 ? "header" : "body");

// Separate agents: the slow 2 MiB uploads must not queue the malformed flood behind them.
const bigAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const badAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
let inflight = 0;
function post(agent, body, onDone) {
  inflight++;
  const done = () => { inflight--; onDone(); };
  const req = http.request({ hostname: url.hostname, port: url.port, path: "/predict", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
    count(res.statusCode);
    res.resume();
    res.on("end", done);
  });
  req.on("error", () => { stats.errors++; done(); });
  req.end(body);
}
const big = "[" + JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }) + "]";
let bigInflight = 0;
const bigTimer = setInterval(() => {
  if (bigInflight >= 4) return;
  stats.oversized++;
  bigInflight++;
  post(bigAgent, big, () => bigInflight--);
}, 50);
// at most 32 malformed requests in flight: a fixed offered load, not a queue growing in this process
const badTimer = setInterval(() => {
  for (let k = 0; k < 2 && inflight - bigInflight < 32; k++) { stats.malformed++; post(badAgent, '[{"Island": "Biscoe", ', () => {}); }
}, 2);
process.on("SIGTERM", () => {
  stopping = true;
  clearInterval(bigTimer);
  clearInterval(badTimer);
  console.log(JSON.stringify(stats));
  process.exit(0);
});
console.log("attacking " + url.href);
`;
