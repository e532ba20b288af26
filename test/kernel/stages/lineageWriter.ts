// Child process for the lineage-through-the-store tests: runs a "split" stage on a CSV and records its outputs in a run store.
import * as aq from "arquero";
import { read } from "../../../kernel/ml/read/index.js";
import { split } from "../../../kernel/ml/split/index.js";
import * as prep from "../../../kernel/ml/prep/index.js";
import { lineageOf } from "../../../kernel/ml/lineage.js";
import { openStore } from "../../../kernel/stages/store/index.js";
import { createLibraryCodecs } from "../../../kernel/stages/libraryCodecs.js";
import { codeHash, paramsHash } from "../../../kernel/stages/cacheKey.js";
import { isEncoded, type Encoding } from "../../../kernel/stages/codecs/index.js";

const [dir, csv, seed] = process.argv.slice(2) as [string, string, string];
const data = await read.csv(csv);
// fitted on every row, before the split: applying it to the test partition is leakage
const before = prep.standardScaler({ columns: ["x"] }).fit(data);
const { train, test } = split.trainTestSplit(data, { seed: Number(seed) });
const mem = aq.table({ v: Array.from({ length: 12 }, (_, i) => i * 10) });
const folds = split.kFold(mem, { k: 3, shuffle: true, seed: 1 });
const outputs = { before, data, train, test, mem, f0train: folds[0]!.train, f0test: folds[0]!.test, f1test: folds[1]!.test };

const codecs = createLibraryCodecs();
const store = openStore({ dir, codecs });
const runId = store.beginRun({ notebook: "split.mlnb", source: "script" });
const encoded: Record<string, Encoding> = {};
for (const [name, value] of Object.entries(outputs)) encoded[name] = await codecs.encode(value);
store.recordStageRun({ runId, stage: "split", codeHash: codeHash(`split ${seed}`), paramsHash: paramsHash({}), seed: 0, outputs: encoded, status: "ok", durationMs: 5 });
store.close();
const hashes = Object.fromEntries(Object.entries(encoded).map(([name, e]) => [name, isEncoded(e) ? e.hash : "opaque"]));
process.stdout.write(JSON.stringify({ hashes, splitId: lineageOf(test)!.partitions[0]!.split }));
