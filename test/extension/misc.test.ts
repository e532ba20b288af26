// Tests of the small pure helpers: the stage status-bar label and terminal quoting.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { labelsFromSnapshot, stageLabel } from "../../extension/stageLabel.js";
import { shellQuote } from "../../extension/shell.js";

test("labels a stage with its name, state and duration", () => {
  assert.equal(stageLabel({ name: "train", state: "ran", durationMs: 1234 }), "$(layers) stage train · ran · 1.2 s");
  assert.equal(stageLabel({ name: "ingest", state: "restored", cached: true, durationMs: 4.4 }), "$(layers) stage ingest · restored · cached · 4 ms");
  assert.equal(stageLabel({ state: "ran" }), undefined);
});

test("quotes terminal words so a POSIX shell passes them through unchanged", () => {
  const words = ["/usr/bin/node", "my notebook's copy.mlnb", "$HOME", "a;b", "--port"];
  assert.equal(shellQuote("/usr/bin/node"), "/usr/bin/node");
  const echoed = execFileSync("sh", ["-c", `printf '%s\\n' ${words.map(shellQuote).join(" ")}`], { encoding: "utf8" });
  assert.deepEqual(echoed.trimEnd().split("\n"), words);
});

test("labels every stage cell of a kernel snapshot, stale ones without a duration", () => {
  const labels = labelsFromSnapshot({
    stages: {
      ingest: { state: "cached", cellId: "c1", info: { cached: true, durationMs: 340 } },
      train: { state: "stale", cellId: "c2", info: { durationMs: 5000 } },
      evaluate: { state: "fresh", cellId: "c3", info: { durationMs: 1500 } },
    },
  });
  assert.deepEqual(Object.fromEntries(labels), {
    c1: "$(layers) stage ingest · cached · 340 ms",
    c2: "$(layers) stage train · stale",
    c3: "$(layers) stage evaluate · fresh · 1.5 s",
  });
  assert.equal(labelsFromSnapshot({ nothing: 1 }).size, 0);
});
