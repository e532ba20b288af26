// The connection file a Jupyter client writes, and the five ZeroMQ sockets bound from it.
import { readFileSync } from "node:fs";
import * as zmq from "zeromq";

export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  key: string;
  signature_scheme: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

/** A connection file that cannot be used; the message names the file and the field. */
export class ConnectionError extends Error {
  override name = "ConnectionError";
}

const PORTS = ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"] as const;

/** Read and check a connection file. */
export function readConnectionFile(file: string): ConnectionInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConnectionError(`${file}: cannot read the connection file: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== "object") throw new ConnectionError(`${file}: expected a JSON object`);
  const r = raw as Record<string, unknown>;
  const transport = r.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "ipc") throw new ConnectionError(`${file}: transport: expected "tcp" or "ipc", got ${JSON.stringify(transport)}`);
  for (const p of PORTS) {
    if (typeof r[p] !== "number" || !Number.isInteger(r[p]) || (r[p] as number) < 0) throw new ConnectionError(`${file}: ${p}: expected a port number, got ${JSON.stringify(r[p])}`);
  }
  if (typeof r.ip !== "string" || !r.ip) throw new ConnectionError(`${file}: ip: expected an address`);
  return {
    transport,
    ip: r.ip,
    key: typeof r.key === "string" ? r.key : "",
    signature_scheme: typeof r.signature_scheme === "string" ? r.signature_scheme : "hmac-sha256",
    ...(Object.fromEntries(PORTS.map((p) => [p, r[p] as number])) as Record<(typeof PORTS)[number], number>),
  };
}

/** The address of one channel, as jupyter_client builds it (ipc: `ip-port`). */
export function endpoint(info: ConnectionInfo, port: number): string {
  return info.transport === "tcp" ? `tcp://${info.ip}:${port}` : `ipc://${info.ip}-${port}`;
}

export interface Sockets {
  shell: zmq.Router;
  control: zmq.Router;
  stdin: zmq.Router;
  iopub: zmq.Publisher;
  hb: zmq.Reply;
  close(): void;
}

/** Bind the five channels. */
export async function bindSockets(info: ConnectionInfo): Promise<Sockets> {
  const shell = new zmq.Router({ linger: 0 });
  const control = new zmq.Router({ linger: 0 });
  const stdin = new zmq.Router({ linger: 0 });
  const iopub = new zmq.Publisher({ linger: 1000 });
  const hb = new zmq.Reply({ linger: 0 });
  await Promise.all([
    shell.bind(endpoint(info, info.shell_port)),
    control.bind(endpoint(info, info.control_port)),
    stdin.bind(endpoint(info, info.stdin_port)),
    iopub.bind(endpoint(info, info.iopub_port)),
    hb.bind(endpoint(info, info.hb_port)),
  ]);
  return {
    shell,
    control,
    stdin,
    iopub,
    hb,
    close() {
      for (const s of [shell, control, stdin, iopub, hb]) s.close();
    },
  };
}
