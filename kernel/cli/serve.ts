// `mlnb serve BUNDLE [--port 8080] [--host 127.0.0.1] [--token T]`: serve a model bundle over HTTP until SIGTERM/SIGINT.
import { load } from "../ml/deploy/load.js";
import { createServer } from "../serve/server.js";
import { defineCommand, startCommand } from "./args.js";

const SPEC = defineCommand({
  command: "serve",
  usage: ["mlnb serve BUNDLE [--port 8080] [--host 127.0.0.1] [--token T] [--max-body BYTES] [--window ROWS] [--allowed-host NAME]..."],
  about: `Serves the bundle written by deploy.bundle: POST /predict (JSON rows or MLflow dataframe_split),
GET /health, /metadata, /metrics (Prometheus), /drift. Binds to loopback unless --host is given;
on loopback only the Host names localhost, 127.0.0.1 and [::1] are answered unless --allowed-host
names others.
The token may also come from the MLNB_SERVE_TOKEN environment variable.`,
  options: {
    port: { type: "string", arg: "PORT", help: "TCP port (default 8080; 0 picks a free one)" },
    host: { type: "string", arg: "HOST", help: "address to bind (default 127.0.0.1)" },
    token: { type: "string", arg: "T", help: "bearer token clients must send" },
    "max-body": { type: "string", arg: "BYTES", help: "largest request body" },
    window: { type: "string", arg: "ROWS", help: "rows kept for /drift" },
    "allowed-host": { type: "string", multiple: true, arg: "NAME", help: "another Host name to answer (repeatable)" },
  },
  positionals: { min: 1, max: 1, what: "BUNDLE folder" },
});

/** Entry point of `mlnb serve`; resolves with the exit code once the server has shut down. */
export async function main(argv: string[]): Promise<number> {
  const parsed = startCommand(SPEC, argv);
  if (typeof parsed === "number") return parsed;
  const args = { positionals: parsed.positionals, values: { ...parsed.values, port: parsed.values.port ?? "8080", host: parsed.values.host ?? "127.0.0.1" } };
  const port = Number(args.values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`mlnb serve: --port must be an integer 0-65535, got "${args.values.port}"`);
    return 2;
  }
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got "${v}"`);
    return n;
  };
  let predictor;
  let server;
  try {
    predictor = await load(args.positionals[0]);
    server = createServer(predictor, {
      token: args.values.token ?? process.env.MLNB_SERVE_TOKEN,
      maxBodyBytes: num("max-body", args.values["max-body"]),
      windowSize: num("window", args.values.window),
      allowedHosts: args.values["allowed-host"],
      log: (line) => console.error(line),
    });
  } catch (e) {
    console.error(`mlnb serve: ${(e as Error).message}`);
    return 1;
  }
  let info;
  try {
    info = await server.listen(port, args.values.host);
  } catch (e) {
    console.error(`mlnb serve: cannot listen on ${args.values.host}:${port}: ${(e as Error).message}`);
    predictor.dispose();
    return 1;
  }
  const loopback = /^(127\.|::1$|localhost$)/.test(args.values.host);
  const token = args.values.token ?? process.env.MLNB_SERVE_TOKEN;
  if (!loopback && !token) console.error(`mlnb serve: warning: listening on ${args.values.host} without --token; anyone who can reach this host can use the model`);
  console.log(`mlnb serve: ${predictor.manifest.kind} (${predictor.manifest.task}) from ${args.positionals[0]}`);
  console.log(`listening on ${info.url}  (POST ${info.url}/predict, GET /health /metadata /metrics /drift)`);
  const s = server;
  const p = predictor;
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      console.log(`mlnb serve: ${signal}, shutting down`);
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
      s.close().then(() => {
        p.dispose();
        resolve(0);
      });
    };
    const onTerm = () => stop("SIGTERM");
    const onInt = () => stop("SIGINT");
    process.on("SIGTERM", onTerm);
    process.on("SIGINT", onInt);
  });
}
