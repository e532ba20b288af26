// The command line and the kernel of `mlnb run`: the kernel is spawned as soon as the line names the notebook.
//
// `mlnb` dispatches `run` (cli.ts) before loading the rest of the command: the kernel's Node start
// and module loading (most of a warm run's start) then overlap the CLI's own on another core.
// The run takes that kernel when it asks for the same notebook and type-check mode; a line the run
// refuses, or a notebook it cannot read, ends it unused (`discardPrestartedKernel`).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { KernelClient, type KernelClientOptions } from "../client.js";
import { DEFAULT_OUTPUT_CAP_BYTES } from "../notebook/outputCap.js";
import type { TypeCheckMode } from "../protocol.js";
import { mark } from "../runtime/trace.js";
import { defineCommand, parseCommand } from "./args.js";

/** The options of `mlnb run`. */
export const RUN_SPEC = defineCommand({
  command: "run",
  usage: ["mlnb run NOTEBOOK.mlnb [options]"],
  about: `Runs every code cell in order in one kernel, prints each cell's outputs as text and writes
the executed notebook. Exits non-zero at the first failing cell, naming it. Displays updated in
place (training epochs, tune trials, large reads) show as one progress line on a terminal, else a line every 5 s.`,
  options: {
    out: { type: "string", short: "o", arg: "FILE", help: "where to write the executed notebook (default: NOTEBOOK.out.mlnb beside it)" },
    "no-write": { type: "boolean", help: "do not write the executed notebook" },
    "no-cache": { type: "boolean", help: "run every stage even if a cached execution matches" },
    "type-check": { type: "string", arg: "MODE", help: "error | warn | off (default: warn: type errors are printed, the cell runs; error stops it, for CI)" },
    quiet: { type: "boolean", help: "print only errors and the summary" },
    "max-output": { type: "string", arg: "BYTES", help: `the most output one cell keeps in the executed notebook (default ${DEFAULT_OUTPUT_CAP_BYTES}); past it a note says what was cut` },
  },
  params: true,
  positionals: { min: 1, max: 1, what: "notebook" },
});

/** How `mlnb run` starts its kernel for the notebook at `notebookPath` (absolute). */
function runKernelOptions(notebookPath: string, typeCheck: TypeCheckMode): KernelClientOptions {
  // No type-checker warm-up: a run over a warm store answers its checks from the persistent cache.
  return { notebookPath, typeCheck, env: { MLNB_TYPECHECK_WARMUP: "off" } };
}

let prestarted: { notebookPath: string; typeCheck: TypeCheckMode; kernel: ReturnType<typeof KernelClient.spawn> } | undefined;

/**
 * Spawn the kernel `mlnb run ARGV` will ask for, now. Does nothing for a line the run would refuse
 * or answer without a kernel (--help), or a notebook that does not exist: the run reports those.
 */
export function prestartRunKernel(argv: string[]): void {
  let notebookPath: string;
  let typeCheck: TypeCheckMode;
  try {
    const parsed = parseCommand(RUN_SPEC, argv);
    typeCheck = (parsed.values["type-check"] ?? "warn") as TypeCheckMode;
    if (parsed.help || !["error", "warn", "off"].includes(typeCheck)) return;
    notebookPath = resolve(parsed.positionals[0]!);
  } catch {
    return;
  }
  if (!existsSync(notebookPath)) return;
  prestarted = { notebookPath, typeCheck, kernel: KernelClient.spawn(runKernelOptions(notebookPath, typeCheck)) };
  mark("cli: kernel spawned");
}

/** The kernel for a run of `notebookPath`: the one spawned early for it, else a new one. */
export function startRunKernel(notebookPath: string, typeCheck: TypeCheckMode): Promise<KernelClient> {
  const early = prestarted;
  prestarted = undefined;
  if (early && early.notebookPath === notebookPath && early.typeCheck === typeCheck) return early.kernel.ready;
  early?.kernel.client.kill();
  mark("cli: kernel spawned");
  return KernelClient.start(runKernelOptions(notebookPath, typeCheck));
}

/** End a kernel spawned early that the run did not take (it stopped before it needed one). */
export function discardPrestartedKernel(): void {
  prestarted?.kernel.client.kill();
  prestarted = undefined;
}
