// `mlnb run NB.mlnb`: runs every code cell headless in one kernel, prints outputs, writes the executed notebook.
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { KernelClient } from "../client.js";
import { parseNotebook, serializeNotebook, NotebookFormatError } from "../notebook/format.js";
import { writeFileAtomic } from "../notebook/write.js";
import { OutputCollector, outputText } from "../notebook/outputs.js";
import { DEFAULT_OUTPUT_CAP_BYTES, RAISE_IN_CLI } from "../notebook/outputCap.js";
import type { Reply, TypeCheckMode } from "../protocol.js";
import { startCommand, usageError } from "./args.js";
import { RUN_SPEC as SPEC, startRunKernel } from "./runKernel.js";
import { ProgressLine } from "./progress.js";
import { mark } from "../runtime/trace.js";

/** Entry point of `mlnb run`. */
export async function main(argv: string[]): Promise<number> {
  const args = startCommand(SPEC, argv);
  if (typeof args === "number") return args;
  const file = args.positionals[0]!;
  const typeCheck = (args.values["type-check"] ?? "warn") as TypeCheckMode;
  if (!["error", "warn", "off"].includes(typeCheck)) return usageError(SPEC, `--type-check must be error, warn or off, got ${typeCheck}`);
  const maxOutput = args.values["max-output"];
  if (maxOutput !== undefined && !/^[1-9]\d*$/.test(maxOutput)) return usageError(SPEC, `--max-output must be a positive number of bytes, got ${maxOutput}`);
  const capBytes = maxOutput === undefined ? DEFAULT_OUTPUT_CAP_BYTES : Number(maxOutput);
  const path = resolve(file);
  let nb;
  try {
    nb = parseNotebook(readFileSync(path, "utf8"), file);
  } catch (e) {
    console.error(`mlnb run: ${e instanceof NotebookFormatError ? e.message : `cannot read ${file}: ${(e as Error).message}`}`);
    return 1;
  }
  mark("cli: notebook read");
  const quiet = args.values.quiet === true;
  const progress = new ProgressLine(process.stdout);
  const kernel = await startRunKernel(path, typeCheck);
  mark("cli: kernel ready");
  let failed: string | undefined;
  const started = Date.now();
  // Execution id -> the cell's label and outputs, so an error that escapes a finished cell
  // (a throw in a timer) is printed naming it and saved with its outputs.
  const byExecution = new Map<string, { label: string; collector: OutputCollector }>();
  let current: { label: string; collector: OutputCollector } | undefined;
  let faults = 0;
  kernel.on("fault", (fault: Extract<Reply, { type: "fault" }>) => {
    faults++;
    const owner = (fault.id ? byExecution.get(fault.id) : undefined) ?? current;
    const out = owner?.collector.add({ type: "error", id: fault.id ?? "", error: fault.error });
    process.stderr.write(`\nmlnb run: ${owner ? `${owner.label}: ` : ""}${out ? outputText(out) : `${fault.error.name}: ${fault.error.message}\n`}`);
  });
  const stopSignals = interruptOnCtrlC(kernel);
  try {
    let index = 0;
    for (const cell of nb.cells) {
      index++;
      if (cell.kind !== "code" || !cell.source.trim()) continue;
      const label = `cell ${index}${stageName(cell.source) ? ` (stage ${stageName(cell.source)})` : ""}`;
      if (!quiet) process.stdout.write(`\n── ${label} ${"─".repeat(Math.max(0, 60 - label.length))}\n`);
      const collector = new OutputCollector(undefined, { capBytes, raise: RAISE_IN_CLI });
      current = { label, collector };
      const result = await kernel.execute(cell.source, { cellId: String(index), options: { typeCheck, noCache: args.values["no-cache"] === true, params: args.params } }, (reply) => {
        if ("id" in reply && reply.id && !byExecution.has(reply.id)) byExecution.set(reply.id, current!);
        const out = collector.add(reply);
        if (!out) return;
        if (reply.type === "display" && reply.displayId !== undefined) {
          if (!quiet) progress.update(reply.displayId, outputText(out));
          return;
        }
        progress.finish();
        if (reply.type === "error") process.stderr.write(outputText(out));
        else if (!quiet) process.stdout.write(reply.type === "stream" ? reply.text : outputText(out));
      });
      progress.finish();
      collector.finish();
      collector.setExecutionCount(result.executionCount);
      cell.outputs = collector.outputs;
      mark(`cli: ${label} done`);
      cell.executionCount = result.executionCount || null;
      if (result.status !== "ok") {
        failed = `${label} of ${file} failed${result.status === "interrupted" ? " (interrupted)" : ""}`;
        break;
      }
    }
  } catch (e) {
    stopSignals();
    await kernel.shutdown();
    throw e;
  }
  stopSignals();
  // The executed notebook is written while the kernel exits (its process teardown takes tens of
  // ms); a fault the kernel reports before it is gone is added to its cell and written again.
  const exited = kernel.shutdown();
  const out = args.values["no-write"] === true ? undefined : (args.values.out ?? join(dirname(path), `${basename(path, ".mlnb")}.out.mlnb`));
  const savedAfter = faults;
  if (out) writeFileAtomic(out, serializeNotebook(nb));
  await exited;
  mark("cli: kernel exited");
  if (out) {
    if (faults !== savedAfter) writeFileAtomic(out, serializeNotebook(nb));
    mark("cli: notebook saved");
    if (!quiet) console.log(`\nwrote ${out}`);
  }
  if (failed) {
    console.error(`\nmlnb run: ${failed}`);
    return 1;
  }
  console.log(`mlnb run: ${file} ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

/**
 * Ctrl-C interrupts the running cell, as in Jupyter; if that has not stopped it (code outside
 * cell loops: a regex, a native sort, a loop in an imported module), a second Ctrl-C ends the
 * kernel and the run. SIGTERM ends both at once. Returns a function removing the handlers.
 */
function interruptOnCtrlC(kernel: KernelClient): () => void {
  let interrupted = false;
  const onInt = () => {
    if (interrupted) {
      process.stderr.write("\nmlnb run: second Ctrl-C: stopping the kernel\n");
      kernel.kill();
      process.exit(130);
    }
    interrupted = true;
    process.stderr.write("\nmlnb run: interrupting the running cell (Ctrl-C again to stop the kernel)\n");
    kernel.interrupt();
  };
  // Once the interrupted cell is done, the next Ctrl-C interrupts again rather than stopping.
  const onReply = (r: Reply) => {
    if (r.type === "done") interrupted = false;
  };
  kernel.on("reply", onReply);
  const onTerm = () => {
    kernel.kill();
    process.exit(143);
  };
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return () => {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    kernel.off("reply", onReply);
  };
}

function stageName(source: string): string | undefined {
  return /^\s*%%stage\s+([\w-]+)/.exec(source)?.[1];
}
