// Tests of the small pure helpers: the stage status-bar label and terminal quoting.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { stageLabel } from "../../extension/stageLabel.js";
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
