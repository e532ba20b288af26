// Node's module globals in cells behave as in a module file in the notebook's folder.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { KernelClient } from "../../../kernel/client.js";
import type { MimeBundle, Reply } from "../../../kernel/protocol.js";

const dir = mkdtempSync(join(tmpdir(), "mlnb-globals-"));
const notebook = join(dir, "globals.mlnb");
writeFileSync(join(dir, "legacy.cjs"), "module.exports = { answer: 42 };\n");
writeFileSync(join(dir, "data.json"), '{"rows": 3}');

async function value(k: KernelClient, code: string): Promise<string | undefined> {
  let text: string | undefined;
  let error: string | undefined;
  await k.execute(code, {}, (r: Reply) => {
    if (r.type === "result") text = (r.data as MimeBundle)["text/plain"] as string;
    if (r.type === "error") error = `${r.error.name}: ${r.error.message}`;
  });
  assert.equal(error, undefined, error);
  return text;
}

describe("module globals in cells", () => {
  let k: KernelClient;
  before(async () => {
    k = await KernelClient.start({ notebookPath: notebook, typeCheck: "error" });
  });
  after(async () => {
    await k.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it("has __filename and __dirname of the notebook", async () => {
    assert.equal(await value(k, "__filename"), `'${notebook}'`);
    assert.equal(await value(k, "__dirname"), `'${dir}'`);
  });

  it("has a require that loads CommonJS and JSON relative to the notebook, and node built-ins", async () => {
    assert.equal(await value(k, 'require("./legacy.cjs").answer + require("./data.json").rows'), "45");
    assert.equal(await value(k, 'require("node:path").basename(__filename)'), "'globals.mlnb'");
    assert.equal(await value(k, 'require.resolve("./legacy.cjs")'), `'${join(dir, "legacy.cjs")}'`);
  });

  it("has module and exports objects, as a CommonJS file does", async () => {
    assert.equal(await value(k, "module.exports === exports && module.filename === __filename"), "true");
  });

  it("has import.meta.url, dirname and filename of the notebook (type checked)", async () => {
    assert.equal(await value(k, "import.meta.url"), `'${pathToFileURL(notebook).href}'`);
    assert.equal(await value(k, "[import.meta.dirname, import.meta.filename].join('|')"), `'${dir}|${notebook}'`);
    assert.equal(await value(k, 'import.meta.resolve("./data.json")'), `'${pathToFileURL(join(dir, "data.json")).href}'`);
  });

  it("leaves the kernel's names out of %who's variables", async () => {
    await value(k, "const mine = 1;");
    const vars = (await k.command("variables")) as { name: string }[];
    const names = vars.map((v) => v.name);
    assert.ok(names.includes("mine"));
    for (const n of ["require", "module", "exports", "__filename", "__dirname", "display"]) assert.ok(!names.includes(n), `${n} is not listed`);
  });
});
