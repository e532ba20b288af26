// `mlnb drift --reference A --current B`: print the drift report of two data files; exit 1 on dataset drift.
import path from "node:path";
import type { ColumnTable } from "arquero";
import { read } from "../ml/read/index.js";
import { report, type DriftOptions } from "../ml/drift/report.js";
import { toHTML, toText } from "../ml/drift/render.js";
import { defineCommand, startCommand, usageError } from "./args.js";

const SPEC = defineCommand({
  command: "drift",
  usage: ["mlnb drift --reference A --current B [--columns a,b] [--drift-share 0.5] [--json | --html]"],
  about: "Compares two data files (.csv .tsv .json .ndjson .parquet .arrow) column by column with Evidently's default tests.",
  options: {
    reference: { type: "string", arg: "FILE", help: "the reference (training) data" },
    current: { type: "string", arg: "FILE", help: "the current (live) data" },
    columns: { type: "string", arg: "a,b", help: "compare only these columns" },
    "drift-share": { type: "string", arg: "SHARE", help: "share of drifting columns that is dataset drift (default 0.5)" },
    json: { type: "boolean", help: "print the report as JSON" },
    html: { type: "boolean", help: "print the report as HTML" },
  },
  positionals: { min: 0, max: 0, what: "argument" },
  footer: "exit codes: 0 no dataset drift, 1 dataset drift, 2 usage or input error",
});

/** Read a data file with the library's reader (by extension), resolving it against the working directory. */
function readTable(file: string): Promise<ColumnTable> {
  return read(path.resolve(file));
}

/** Entry point of `mlnb drift`. */
export async function main(argv: string[]): Promise<number> {
  const args = startCommand(SPEC, argv);
  if (typeof args === "number") return args;
  const v = args.values;
  if (!v.reference || !v.current) {
    return usageError(SPEC, "--reference and --current are required");
  }
  const opts: DriftOptions = {};
  if (v.columns) opts.columns = v.columns.split(",").map((c) => c.trim()).filter(Boolean);
  if (v["drift-share"] !== undefined) {
    const s = Number(v["drift-share"]);
    if (!(s > 0 && s <= 1)) {
      console.error(`mlnb drift: --drift-share must be in (0, 1], got "${v["drift-share"]}"`);
      return 2;
    }
    opts.driftShare = s;
  }
  let r;
  try {
    const [ref, cur] = await Promise.all([readTable(v.reference), readTable(v.current)]);
    r = report(ref, cur, opts);
  } catch (e) {
    console.error(`mlnb drift: ${(e as Error).message}`);
    return 2;
  }
  if (v.json) console.log(JSON.stringify(r, null, 2));
  else if (v.html) console.log(toHTML(r));
  else console.log(toText(r));
  return r.datasetDrift ? 1 : 0;
}
