// `mlnb predict BUNDLE DATA.(csv|parquet|json) [-o OUT]`: score a file with a model bundle in batches, with progress.
import path from "node:path";
import type { ColumnTable } from "arquero";
import { load, type Predictor } from "../ml/deploy/load.js";
import { fromText } from "../ml/deploy/schema.js";
import { RowsError, score } from "../ml/deploy/score.js";
import { readCSV } from "../ml/read/csv.js";
import { readJSON } from "../ml/read/json.js";
import { readParquet } from "../ml/read/parquet.js";
import { defineCommand, EXIT, startCommand, usageError } from "./args.js";
import { ProgressLine } from "./progress.js";
import { outputFormat, toCsv, writeTable } from "./tableFile.js";

const SPEC = defineCommand({
  command: "predict",
  usage: ["mlnb predict BUNDLE DATA.(csv|parquet|json) [-o OUT.(csv|json|parquet)] [--batch ROWS]"],
  about: `Scores every row of a data file with the bundle written by deploy.bundle, through the same
preprocessing and model as \`mlnb serve\`. The output is the input's columns plus \`prediction\`
(and \`probability_<label>\` per class for classifiers), written in the format OUT's extension
names, or as CSV on stdout without -o. CSV fields are typed by the bundle's schema as the server
types a text/csv body. Every row is checked first: a bad value is reported with its row (CSV:
line) and field, and nothing is written.`,
  options: {
    out: { type: "string", short: "o", arg: "OUT", help: "output file: .csv, .json or .parquet (default: CSV on stdout)" },
    batch: { type: "string", arg: "ROWS", help: "rows per prediction batch (default 10000)" },
  },
  positionals: { min: 2, max: 2, what: "BUNDLE folder and DATA file" },
});

const READERS: Record<string, (file: string, p: Predictor) => Promise<ColumnTable>> = {
  // the bundle's fields are read as text and typed by the schema, as the server's text/csv body is
  csv: async (file, p) => readCSV(file, { types: Object.fromEntries(p.schema.fields.map((f) => [f.name, "string" as const])) }),
  json: (file) => readJSON(file),
  parquet: (file) => readParquet(file),
};

/** Where row `r` (0-based) of the data file is, in the file's own terms. */
function where(format: string, r: number): string {
  return format === "csv" ? `line ${r + 2}` : format === "json" ? `record ${r}` : `row ${r}`;
}

/** Entry point of `mlnb predict`; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const parsed = startCommand(SPEC, argv);
  if (typeof parsed === "number") return parsed;
  const [bundleDir, data] = parsed.positionals as [string, string];
  const out = parsed.values.out;
  const batch = parsed.values.batch === undefined ? 10_000 : Number(parsed.values.batch);
  if (!Number.isInteger(batch) || batch < 1) {
    return usageError(SPEC, `--batch must be a positive integer, got "${parsed.values.batch}"`);
  }
  const format = path.extname(data).slice(1).toLowerCase();
  const reader = READERS[format];
  if (!reader) {
    return usageError(SPEC, `cannot read "${data}": unknown extension ".${format}" (known: .csv, .json, .parquet)`);
  }
  try {
    if (out) outputFormat(out);
  } catch (e) {
    return usageError(SPEC, (e as Error).message);
  }
  let predictor: Predictor;
  try {
    predictor = await load(bundleDir);
  } catch (e) {
    console.error(`mlnb predict: ${(e as Error).message}`);
    return EXIT.failure;
  }
  try {
    const table = await reader(path.resolve(data), predictor);
    const progress = new ProgressLine(process.stderr);
    const started = Date.now();
    const scores = score(predictor, table, {
      batchRows: batch,
      text: format === "csv",
      onProgress: (done, total) => progress.update("predict", `mlnb predict: ${done} / ${total} rows (${Math.floor((100 * done) / total)}%)`),
    });
    progress.finish();
    // the output shows the bundle's fields as the model read them (CSV text typed by the schema), other columns as read
    const columns: Record<string, unknown[]> = {};
    if (format === "csv") for (const f of predictor.schema.fields) if (table.column(f.name)) columns[f.name] = Array.from(table.array(f.name) as ArrayLike<string | null>, (v) => (v === null ? null : fromText(v, f.type)));
    columns.prediction = scores.predictions;
    scores.labels?.forEach((label, j) => (columns[`probability_${String(label)}`] = scores.probabilities!.map((row) => row[j])));
    const result = table.assign(columns) as ColumnTable;
    if (out) {
      await writeTable(out, result);
      console.error(`mlnb predict: ${table.numRows()} rows scored in ${((Date.now() - started) / 1000).toFixed(1)} s, wrote ${out}`);
    } else {
      // a reader that stops early (`| head`) is not an error
      process.stdout.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code !== "EPIPE") throw e;
      });
      process.stdout.write(toCsv(result));
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof RowsError) {
      const lines = e.errors.map((x) => `  ${where(format, x.row)}, field "${x.field}": ${x.message}`);
      const more = e.total > e.errors.length ? [`  ... and ${e.total - e.errors.length} more`] : [];
      console.error([`mlnb predict: ${data}: ${e.message}; nothing written:`, ...lines, ...more].join("\n"));
    } else {
      console.error(`mlnb predict: ${data}: ${(e as Error).message}`);
    }
    return EXIT.failure;
  } finally {
    predictor.dispose();
  }
}
