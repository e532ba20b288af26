// `mlnb run NB.mlnb`: runs every code cell headless in one kernel, prints outputs, writes the executed notebook.
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { KernelClient } from "../client.js";
import { parseNotebook, serializeNotebook, NotebookFormatError } from "../notebook/format.js";
import { writeFileAtomic } from "../notebook/write.js";
import { OutputCollector, outputText } from "../notebook/outputs.js";
import type { TypeCheckMode } from "../protocol.js";
import { commandWithFile } from "./args.js";

const HELP = `usage: mlnb run NOTEBOOK.mlnb [options]

Runs every code cell in order in one kernel, prints each cell's outputs as text and writes
the executed notebook. Exits non-zero at the first failing cell, naming it.

options:
  --out FILE          where to write the executed notebook (default: NOTEBOOK.out.mlnb beside it)
  --no-write          do not write the executed notebook
  -p, --param k=v     override a %%params value (repeatable)
  --no-cache          run every stage even if a cached execution matches
  --type-check MODE   error | warn | off (default: warn: type errors are printed, the cell runs; error stops it, for CI)
  --quiet             print only errors and the summary`;

/** Entry point of `mlnb run`. */
export async function main(argv: string[]): Promise<number> {
  const cmd = commandWithFile("run", HELP, argv, ["out", "type-check"]);
  if (typeof cmd === "number") return cmd;
  const { args, file } = cmd;
  const typeCheck = (args.values.get("type-check") ?? "warn") as TypeCheckMode;
  if (!["error", "warn", "off"].includes(typeCheck)) {
    console.error(`mlnb run: --type-check must be error, warn or off, got ${typeCheck}`);
    return 2;
  }
  const path = resolve(file);
  let nb;
  try {
    nb = parseNotebook(readFileSync(path, "utf8"), file);
  } catch (e) {
    console.error(`mlnb run: ${e instanceof NotebookFormatError ? e.message : `cannot read ${file}: ${(e as Error).message}`}`);
    return 1;
  }
  const quiet = args.flags.has("quiet");
  const kernel = await KernelClient.start({ notebookPath: path, typeCheck });
  let failed: string | undefined;
  const started = Date.now();
  try {
    let index = 0;
    for (const cell of nb.cells) {
      index++;
      if (cell.kind !== "code" || !cell.source.trim()) continue;
      const label = `cell ${index}${stageName(cell.source) ? ` (stage ${stageName(cell.source)})` : ""}`;
      if (!quiet) process.stdout.write(`\n── ${label} ${"─".repeat(Math.max(0, 60 - label.length))}\n`);
      const collector = new OutputCollector();
      const result = await kernel.execute(cell.source, { cellId: String(index), options: { typeCheck, noCache: args.flags.has("no-cache"), params: args.params } }, (reply) => {
        const out = collector.add(reply);
        if (!out) return;
        if (reply.type === "error") process.stderr.write(outputText(out));
        else if (!quiet && reply.type !== "display") process.stdout.write(reply.type === "stream" ? reply.text : outputText(out));
        else if (!quiet && reply.type === "display" && reply.displayId === undefined) process.stdout.write(outputText(out));
      });
      collector.setExecutionCount(result.executionCount);
      cell.outputs = collector.outputs;
      cell.executionCount = result.executionCount || null;
      if (result.status !== "ok") {
        failed = `${label} of ${file} failed${result.status === "interrupted" ? " (interrupted)" : ""}`;
        break;
      }
    }
  } finally {
    await kernel.shutdown();
  }
  if (!args.flags.has("no-write")) {
    const out = args.values.get("out") ?? join(dirname(path), `${basename(path, ".mlnb")}.out.mlnb`);
    writeFileAtomic(out, serializeNotebook(nb));
    if (!quiet) console.log(`\nwrote ${out}`);
  }
  if (failed) {
    console.error(`\nmlnb run: ${failed}`);
    return 1;
  }
  console.log(`mlnb run: ${file} ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

function stageName(source: string): string | undefined {
  return /^\s*%%stage\s+([\w-]+)/.exec(source)?.[1];
}
