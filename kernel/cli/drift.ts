// `mlnb drift --reference A --current B`: print the drift report of two data files; exit 1 on dataset drift.
import path from "node:path";
import { parseArgs } from "node:util";
import type { ColumnTable } from "arquero";
import { read } from "../ml/read/index.js";
import { report, type DriftOptions } from "../ml/drift/report.js";
import { toHTML, toText } from "../ml/drift/render.js";

const USAGE = `usage: mlnb drift --reference A --current B [--columns a,b] [--drift-share 0.5] [--json | --html]

Compares two data files (.csv .tsv .json .ndjson .parquet .arrow) column by column with Evidently's default tests.
Exit code: 0 no dataset drift, 1 dataset drift, 2 usage or input error.`;

/** Read a data file with the library's reader (by extension), resolving it against the working directory. */
function readTable(file: string): Promise<ColumnTable> {
  return read(path.resolve(file));
}

/** Entry point of `mlnb drift`. */
export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        reference: { type: "string" },
        current: { type: "string" },
        columns: { type: "string" },
        "drift-share": { type: "string" },
        json: { type: "boolean" },
        html: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    console.error(`mlnb drift: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const v = args.values;
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  if (!v.reference || !v.current) {
    console.error(`mlnb drift: --reference and --current are required\n\n${USAGE}`);
    return 2;
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
