// The cells of "mlnb: New ML Notebook": a small pipeline that runs as created, wherever it is created (pure, no `vscode`).

/** One starter cell: markdown or mlnb TypeScript. */
export interface StarterCell {
  kind: "markdown" | "code";
  source: string;
}

/**
 * Starter cells: a title, parameters and four stages (ingest, split, train, evaluate). The ingest
 * stage makes its data (seeded, so every run gets the same rows): a new notebook is untitled and has
 * no folder yet, so a data file beside it could not exist. Its comment shows how to read a file.
 */
export const STARTER_CELLS: StarterCell[] = [
  {
    kind: "markdown",
    source: [
      "# New ML pipeline",
      "",
      "Each code cell is a stage (`%%stage NAME`): mlnb records what it reads and writes, restores stages whose code,",
      "params and inputs did not change, and marks stale what depends on an edit. Run All runs it as it is: the ingest",
      "stage makes a small dataset. To use your own data, save the notebook and read a file in `ingest`, e.g.",
      '`const data = await read.csv("data/flowers.csv")`: paths are relative to the notebook\'s folder.',
    ].join("\n"),
  },
  { kind: "code", source: "%%params\n%seed 7\nconst rows = 300;\nconst testSize = 0.25;\nconst epochs = 60;" },
  {
    kind: "code",
    source: [
      "%%stage ingest",
      'import * as aq from "arquero";',
      "",
      "// Three kinds of flower by petal height and width (cm), drawn from the stage's seeded generator.",
      '// Your data instead: import { read } from "mlnb"; const data = await read.csv("data/flowers.csv");',
      "const centres: Record<string, [number, number]> = { small: [2, 1], medium: [4, 3], large: [6, 1.5] };",
      "const noise = () => (Math.random() + Math.random() + Math.random() - 1.5) * 0.8;",
      "const kinds = Array.from({ length: rows }, (_, i) => Object.keys(centres)[i % 3]!);",
      "const data = aq.table({",
      "  height: kinds.map((k) => centres[k]![0] + noise()),",
      "  width: kinds.map((k) => centres[k]![1] + noise()),",
      "  kind: kinds,",
      "});",
      "data",
    ].join("\n"),
  },
  {
    kind: "code",
    source: [
      "%%stage split",
      'import { split } from "mlnb";',
      "",
      'const { train: trainRows, test: testRows } = split.trainTestSplit(data, { testSize, stratify: "kind" });',
      "`${trainRows.numRows()} train rows, ${testRows.numRows()} test rows`",
    ].join("\n"),
  },
  {
    kind: "code",
    source: [
      "%%stage train",
      'import { train } from "mlnb";',
      "",
      'const model = await train.logisticRegression(trainRows, { target: "kind", epochs });',
      '`${model.kind}: ${model.features.join(", ")} -> ${model.labels!.join(", ")}`',
    ].join("\n"),
  },
  {
    kind: "code",
    source: [
      '%%stage evaluate --gate "accuracy>=0.8"',
      'import { evaluate, log } from "mlnb";',
      "",
      'const metrics = evaluate.classification(testRows.array("kind"), model.predict(testRows), { labels: model.labels });',
      'log.metric("accuracy", metrics.accuracy);',
      'log.metric("f1", metrics.f1);',
      "metrics.perClass",
    ].join("\n"),
  },
];
