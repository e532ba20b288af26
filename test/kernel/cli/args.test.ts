// Tests for the strict command front: unknown options with suggestions, values, params, positionals, help and exit codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { defineCommand, helpText, parseCommand, startCommand, UsageError, commandWithFile } from "../../../kernel/cli/args.js";
import { COMMANDS } from "../../../kernel/cli.js";

const SPEC = defineCommand({
  command: "demo",
  usage: ["mlnb demo FILE [options]"],
  options: {
    out: { type: "string", short: "o", arg: "FILE", help: "where" },
    "no-cache": { type: "boolean", help: "skip the cache" },
    tag: { type: "string", multiple: true, help: "a tag (repeatable)" },
  },
  params: true,
  positionals: { min: 1, max: 1, what: "file" },
});

function usage(argv: string[]): string {
  try {
    parseCommand(SPEC, argv);
  } catch (e) {
    assert.ok(e instanceof UsageError, `a UsageError, got ${String(e)}`);
    return e.message;
  }
  assert.fail(`no usage error for ${argv.join(" ")}`);
}

test("parses values, flags, repeated options, params and the positional", () => {
  const p = parseCommand(SPEC, ["nb.mlnb", "-o", "x.mlnb", "--no-cache", "--tag", "a", "--tag=b", "-p", "epochs=20", "--param", "lr=0.1"]);
  assert.deepEqual(p.positionals, ["nb.mlnb"]);
  assert.equal(p.values.out, "x.mlnb");
  assert.equal(p.values["no-cache"], true);
  assert.deepEqual(p.values.tag, ["a", "b"]);
  assert.deepEqual(p.params, { epochs: "20", lr: "0.1" });
  assert.equal(p.help, false);
});

test("rejects an unknown option and suggests the closest known one", () => {
  assert.equal(usage(["nb.mlnb", "--no-cahce"]), "unknown option --no-cahce; did you mean --no-cache?");
  assert.equal(usage(["nb.mlnb", "--ot", "x"]), "unknown option --ot; did you mean --out?");
  assert.equal(usage(["nb.mlnb", "--zzzzzzzz"]), "unknown option --zzzzzzzz");
  assert.equal(usage(["nb.mlnb", "-x"]), "unknown option -x");
});

test("names the option of a missing or unexpected value, and a bad param pair", () => {
  assert.equal(usage(["nb.mlnb", "--out"]), "option --out needs a value");
  assert.equal(usage(["nb.mlnb", "--no-cache=yes"]), "option --no-cache takes no value");
  assert.equal(usage(["nb.mlnb", "-p", "epochs"]), '-p needs name=value, got "epochs"');
});

test("checks the positional count, naming what is missing or extra", () => {
  assert.equal(usage([]), "which file? give it as the first argument");
  assert.equal(usage(["a.mlnb", "b.mlnb"]), 'unexpected argument "b.mlnb"');
  assert.equal(parseCommand(SPEC, ["--help"]).help, true);
});

test("prints help with exit 0 and usage errors with exit 2", () => {
  const out: string[] = [], err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  assert.equal(startCommand(SPEC, ["-h"], io), 0);
  assert.equal(out[0], helpText(SPEC));
  assert.match(out[0]!, /^usage: mlnb demo FILE \[options\]\n\noptions:\n {2}-o, --out FILE +where\n/);
  assert.match(out[0]!, /-p, --param k=v +override a %%params value \(repeatable\)/);
  assert.match(out[0]!, /exit codes: 0 ok, 1 failure, 2 usage error$/);
  assert.equal(startCommand(SPEC, ["nb.mlnb", "--no-cahce"], io), 2);
  assert.match(err[0]!, /^mlnb demo: unknown option --no-cahce; did you mean --no-cache\?\n\nusage: mlnb demo/);
});

test("keeps the older one-file front strict: its options are the ones its help names", () => {
  const help = "usage: mlnb old NB [--out FILE] [--force]";
  const ok = commandWithFile("old", help, ["nb", "--force", "-o", "x"], ["out"]);
  assert.ok(typeof ok === "object");
  assert.deepEqual([ok.file, [...ok.args.flags], ok.args.values.get("out")], ["nb", ["force"], "x"]);
  const errors: string[] = [];
  const saved = console.error;
  console.error = (m: string) => errors.push(m);
  try {
    assert.equal(commandWithFile("old", help, ["nb", "--forse"], ["out"]), 2);
  } finally {
    console.error = saved;
  }
  assert.match(errors[0]!, /^mlnb old: unknown option --forse; did you mean --force\?/);
});

test("every mlnb command answers --help with exit 0 and an unknown option with exit 2", () => {
  const bin = new URL("../../../../bin/mlnb.js", import.meta.url).pathname;
  for (const command of Object.keys(COMMANDS)) {
    const help = spawnSync(process.execPath, [bin, command, "--help"], { encoding: "utf8" });
    assert.equal(help.status, 0, `${command} --help: ${help.stderr}`);
    assert.match(help.stdout, /^usage: mlnb /, `${command} --help prints its usage`);
    if (command === "script") continue; // its options belong to the script it runs (checked through runPipeline below)
    const bad = spawnSync(process.execPath, [bin, command, "x", "--bogus-option"], { encoding: "utf8" });
    assert.equal(bad.status, 2, `${command} --bogus-option exits 2: ${bad.stderr}`);
    assert.match(bad.stderr, new RegExp(`^mlnb ${command}: unknown option --bogus-option`));
  }
  const unknown = spawnSync(process.execPath, [bin, "rnu"], { encoding: "utf8" });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "rnu"; did you mean run\?/);
});
