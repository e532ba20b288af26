// Benchmark: the notebook language service on the penguins example: completion and hover latency while typing.
//
// Compares completions without an edit since the last answer (the service's program reused) with
// completions right after an edit (the usual case while typing: the notebook file changed, TypeScript
// updates its program and checker), against the target p50 <= 50 ms. Cold start (TypeScript loaded,
// first answer over every library's types) is reported alongside.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseNotebook } from "../kernel/notebook/format.js";
import type { NotebookLanguageService as Service } from "../kernel/lang/service.js";
import type * as TS from "typescript";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ROUNDS = 40;
const TARGET_P50_MS = 50;

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const ms = (x: number) => x.toFixed(1);

export async function run(): Promise<void> {
  const path = join(REPO, "notebooks", "penguins.mlnb");
  const nb = parseNotebook(readFileSync(path, "utf8"), "penguins.mlnb");
  const cells = nb.cells.filter((c) => c.kind === "code").map((c, i) => ({ id: `c${i}`, text: c.source }));
  const prefix = 'import { read, split } from "mlnb";\n';
  const typing = (extra: string) => [...cells, { id: "typing", text: `${prefix}penguins.${extra}` }];

  const t0 = performance.now();
  const tsModule = (await import("typescript")) as unknown as { default?: unknown };
  const ts = (tsModule.default ?? tsModule) as unknown as typeof TS;
  const { NotebookLanguageService } = await import("../kernel/lang/service.js");
  const s: Service = new NotebookLanguageService(ts, dirname(path));
  s.setCells(typing(""));
  const first = s.completions("typing", prefix.length + "penguins.".length);
  const coldMs = performance.now() - t0;
  if (!first.items.some((i) => i.label === "derive")) throw new Error("penguins. does not offer derive: the bench measures nothing useful");

  const time = (f: () => unknown) => {
    const t = performance.now();
    f();
    return performance.now() - t;
  };
  const unchanged: number[] = [];
  const edited: number[] = [];
  const hovers: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Each round types one more character somewhere else in the cell, then asks at "penguins.".
    s.setCells(typing(i % 2 ? "" : " ".repeat(i)));
    edited.push(time(() => s.completions("typing", prefix.length + "penguins.".length)));
    unchanged.push(time(() => s.completions("typing", prefix.length + "penguins.".length)));
    hovers.push(time(() => s.hover("typing", prefix.length + 2)));
  }
  const row = (name: string, xs: number[]) => `| ${name} | ${ms(quantile(xs, 0.5))} | ${ms(quantile(xs, 0.95))} | ${ms(Math.max(...xs))} |`;
  console.log(
    [
      `## language service: completions on penguins.mlnb (${cells.length} code cells), ${ROUNDS} rounds, load ${loadavg()[0]!.toFixed(2)}`,
      "",
      `cold start (load TypeScript, first completion): ${ms(coldMs)} ms`,
      "",
      "| request | p50 ms | p95 ms | max ms |",
      "|---|---|---|---|",
      row("completion `penguins.` after an edit", edited),
      row("completion `penguins.`, no edit since", unchanged),
      row("hover on `read`, no edit since", hovers),
      "",
      `target: completion after an edit p50 <= ${TARGET_P50_MS} ms: ${quantile(edited, 0.5) <= TARGET_P50_MS ? "met" : "NOT met"} (${ms(quantile(edited, 0.5))} ms)`,
    ].join("\n"),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
