// Notebooks written for tslab run unchanged: tslab's whole display API, its versions, and require("tslab") in JavaScript-style cells.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { KernelClient } from "../../../kernel/client.js";
import type { MimeBundle, Reply } from "../../../kernel/protocol.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-tslab-"));
// A tiny real PNG (1x1), read from disk by the cell as tslab notebooks do with their images.
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");
writeFileSync(join(dir, "dot.png"), PNG);

interface Shown {
  data: MimeBundle;
  displayId?: string;
}

async function run(k: KernelClient, code: string): Promise<{ status: string; shown: Shown[]; stdout: string; error?: string }> {
  const shown: Shown[] = [];
  let stdout = "";
  let error: string | undefined;
  const r = await k.execute(code, {}, (reply: Reply) => {
    if (reply.type === "display") shown.push({ data: reply.data, displayId: reply.displayId });
    if (reply.type === "stream" && reply.name === "stdout") stdout += reply.text;
    if (reply.type === "error") error = `${reply.error.name}: ${reply.error.message}`;
  });
  return { status: r.status, shown, stdout, error };
}

describe("tslab notebooks", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start({ notebookPath: join(dir, "tslab.mlnb") });
  });
  after(async () => {
    await k.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows every display method with tslab's mime types", async () => {
    const r = await run(
      k,
      [
        'import * as tslab from "tslab";',
        'tslab.display.html("<b>bold</b>");',
        'tslab.display.markdown("# title");',
        'tslab.display.latex("$x^2$");',
        'tslab.display.svg("<svg></svg>");',
        'tslab.display.text("plain words");',
        'tslab.display.javascript("console.log(1)");',
      ].join("\n"),
    );
    assert.equal(r.status, "ok", r.error);
    assert.deepEqual(
      r.shown.map((s) => s.data),
      [{ "text/html": "<b>bold</b>" }, { "text/markdown": "# title" }, { "text/latex": "$x^2$" }, { "image/svg+xml": "<svg></svg>" }, { "text/plain": "plain words" }, { "text/javascript": "console.log(1)" }],
    );
  });

  it("sends image bytes as base64, from a Buffer or a plain Uint8Array, and raw strings as they are", async () => {
    const r = await run(
      k,
      ['import fs from "fs";', 'import { display } from "tslab";', 'display.png(fs.readFileSync("dot.png"));', "display.jpeg(new Uint8Array([255, 216, 255]));", 'display.raw("application/x-custom", new Uint8Array([1, 2, 3]));', 'display.raw("text/csv", "a,b\\n1,2");'].join("\n"),
    );
    assert.equal(r.status, "ok", r.error);
    assert.deepEqual(
      r.shown.map((s) => s.data),
      [{ "image/png": PNG.toString("base64") }, { "image/jpeg": "/9j/" }, { "application/x-custom": "AQID" }, { "text/csv": "a,b\n1,2" }],
    );
  });

  it("newDisplay overwrites its own output in place, and two newDisplays are distinct", async () => {
    const r = await run(
      k,
      ['import * as tslab from "tslab";', "const progress = tslab.newDisplay();", "const other = tslab.newDisplay();", "for (let p = 0; p <= 100; p += 50) progress.text(`progress: ${p}%`);", 'other.html("<i>other</i>");'].join("\n"),
    );
    assert.equal(r.status, "ok", r.error);
    assert.deepEqual(
      r.shown.map((s) => s.data["text/plain"] ?? s.data["text/html"]),
      ["progress: 0%", "progress: 50%", "progress: 100%", "<i>other</i>"],
    );
    const ids = r.shown.map((s) => s.displayId);
    assert.ok(ids[0], "a newDisplay has a display id");
    assert.equal(new Set(ids.slice(0, 3)).size, 1, "the progress display replaces itself");
    assert.notEqual(ids[3], ids[0]);
  });

  it("gives require('tslab') to JavaScript-style cells, with versions", async () => {
    const r = await run(k, 'const tslabLib = require("tslab");\nconsole.log(Object.keys(tslabLib.versions).sort().join(","));\ntslabLib.display.text("required");');
    assert.equal(r.status, "ok", r.error);
    assert.equal(r.stdout.trim(), "node,tslab,typescript");
    assert.deepEqual(r.shown[0].data, { "text/plain": "required" });
  });

  it("type checks tslab calls: a wrong argument is a warning, and the cell still runs", async () => {
    let warning = "";
    const res = await k.execute('import * as tslab from "tslab";\ntslab.display.html(42);\n"ran"', {}, (reply: Reply) => {
      if (reply.type === "stream" && reply.name === "stderr") warning += reply.text;
    });
    assert.equal(res.status, "ok");
    assert.match(warning, /TS2345/);
  });
});
