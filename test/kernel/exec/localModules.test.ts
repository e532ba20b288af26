// Local modules beside a notebook are code: they load in cells, key the stages importing them, and are locked by the export.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { KernelClient } from "../../../kernel/client.js";
import { localModuleFiles, localModulesHash, resolveLocalModule } from "../../../kernel/exec/localModules.js";
import { serializeNotebook } from "../../../kernel/notebook/format.js";
import type { ErrorInfo, MimeBundle, Reply } from "../../../kernel/protocol.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const MLNB = join(ROOT, "bin", "mlnb.js");
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "MLNB_STORE"));

const dir = mkdtempSync(join(tmpdir(), "mlnb-local-"));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, "lib"));
const HELPERS_V1 = 'import { offset } from "./lib/offset";\n/** Twice x, plus the offset. */\nexport function double(x: number): number {\n  return x * 2 + offset;\n}\n';
writeFileSync(join(dir, "helpers.ts"), HELPERS_V1);
writeFileSync(join(dir, "lib", "offset.mts"), "export const offset: number = 0;\n");
writeFileSync(join(dir, "plain.js"), "export const plain = 'esm in a .js file';\n");
writeFileSync(join(dir, "other.mjs"), "export default function greet(name) { return `hi ${name}`; }\n");
writeFileSync(join(dir, "config.json"), JSON.stringify({ epochs: 7, name: "cfg" }));

interface Ran {
  status: string;
  text?: string;
  stderr: string;
  error?: ErrorInfo;
  stage?: Record<string, unknown>;
}

async function run(k: KernelClient, code: string, cellId?: string): Promise<Ran> {
  const ran: Ran = { status: "", stderr: "" };
  const r = await k.execute(code, { cellId }, (reply: Reply) => {
    if (reply.type === "result") ran.text = (reply.data as MimeBundle)["text/plain"] as string;
    if (reply.type === "error") ran.error = reply.error;
    if (reply.type === "stream" && reply.name === "stderr") ran.stderr += reply.text;
    if (reply.type === "stage") ran.stage = reply.info;
  });
  ran.status = r.status;
  return ran;
}

describe("local modules", () => {
  it("resolves a specifier as TypeScript does: extensionless, .js written for .ts, a folder's index", () => {
    assert.equal(resolveLocalModule("./helpers", dir), join(dir, "helpers.ts"));
    assert.equal(resolveLocalModule("./helpers.js", dir), join(dir, "helpers.ts"));
    assert.equal(resolveLocalModule("./lib/offset", dir), join(dir, "lib", "offset.mts"));
    assert.equal(resolveLocalModule("./config.json", dir), join(dir, "config.json"));
    assert.equal(resolveLocalModule("./nothing", dir), undefined);
  });

  it("finds the modules a cell imports through other local modules", () => {
    assert.deepEqual(localModuleFiles('import { double } from "./helpers";\nimport x from "arquero";', dir), [join(dir, "helpers.ts"), join(dir, "lib", "offset.mts")]);
    assert.equal(localModulesHash('import { read } from "mlnb";', dir), undefined);
  });

  describe("in a kernel", () => {
    let k: KernelClient;
    before(async () => {
      k = await KernelClient.start({ notebookPath: join(dir, "nb.mlnb"), typeCheck: "warn" });
    });
    after(async () => k.shutdown());

    it("runs a cell importing a local .ts module (which imports an .mts) without an extension", async () => {
      const r = await run(k, 'import { double } from "./helpers";\ndouble(21)');
      assert.equal(r.status, "ok", r.error?.message);
      assert.equal(r.text, "42");
      assert.equal(r.stderr, "", "no type warnings: the checker finds the module too");
    });

    it("imports .js (ESM), .mjs and .json modules beside the notebook", async () => {
      const r = await run(k, 'import { plain } from "./plain.js";\nimport greet from "./other.mjs";\nimport config from "./config.json";\n[plain, greet("ada"), config.epochs].join(" | ")');
      assert.equal(r.status, "ok", r.error?.message);
      assert.equal(r.text, "'esm in a .js file | hi ada | 7'");
    });

    it("loads an edited module afresh, with the modules it imports", async () => {
      writeFileSync(join(dir, "lib", "offset.mts"), "export const offset: number = 1000;\n");
      try {
        const r = await run(k, 'import { double } from "./helpers";\ndouble(21)');
        assert.equal(r.text, "1042");
      } finally {
        writeFileSync(join(dir, "lib", "offset.mts"), "export const offset: number = 0;\n");
      }
    });

    it("names the absolute paths it tried when a local module is missing", async () => {
      const r = await run(k, 'import { x } from "./missing/thing";\nx');
      assert.equal(r.status, "error");
      assert.match(r.error!.message, /Cannot find local module "\.\/missing\/thing": tried /);
      assert.ok(r.error!.message.includes(join(dir, "missing", "thing.ts")), r.error!.message);
    });

    it("marks a stage stale when a helper it imports changes, and does not restore it from the cache", async () => {
      const a = '%%stage twice\nimport { double } from "./helpers";\nconst twice = double(5);\ntwice';
      const b = "%%stage plusOne\nconst plusOne = twice + 1;\nplusOne";
      const cells = [{ id: "a", source: a }, { id: "b", source: b }];
      await k.command("sync", { cells });
      assert.equal((await run(k, a, "a")).text, "10");
      assert.equal((await run(k, b, "b")).text, "11");
      const fresh = (await k.command("stages")) as { stages: Record<string, { state: string }> };
      assert.deepEqual([fresh.stages.twice.state, fresh.stages.plusOne.state], ["fresh", "fresh"]);
      writeFileSync(join(dir, "helpers.ts"), HELPERS_V1.replace("x * 2", "x * 3"));
      try {
        const after = (await k.command("sync", { cells })) as { stages: Record<string, { state: string }> };
        assert.deepEqual([after.stages.twice.state, after.stages.plusOne.state], ["stale", "stale"]);
        const rerun = await run(k, a, "a");
        assert.equal(rerun.text, "15");
        assert.equal(rerun.stage?.cached, false, "a changed helper changes the stage's key");
      } finally {
        writeFileSync(join(dir, "helpers.ts"), HELPERS_V1);
      }
    });
  });

  it("the exported script imports the helper, and refuses to run after the helper changed", async () => {
    const sub = join(dir, "export");
    mkdirSync(sub);
    writeFileSync(join(sub, "helpers.ts"), "export const scale = (x: number): number => x * 10;\n");
    const cells = [
      { kind: "code" as const, language: "typescript", source: '%%stage base\nimport { scale } from "./helpers";\nconst base = scale(4);\nbase', metadata: {}, outputs: [] },
    ];
    writeFileSync(join(sub, "h.mlnb"), serializeNotebook({ cells, metadata: {} } as never));
    const mlnb = (...args: string[]) =>
      promisify(execFile)(process.execPath, [MLNB, ...args], { cwd: sub, env }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: (e.stdout ?? "") + (e.stderr ?? "") }),
      );
    const ran = await mlnb("run", "h.mlnb", "--no-write");
    assert.equal(ran.code, 0, ran.out);
    const exported = await mlnb("export", "h.mlnb");
    assert.equal(exported.code, 0, exported.out);
    const ok = await mlnb("script", "h.pipeline.ts", "--verify");
    assert.equal(ok.code, 0, ok.out);
    writeFileSync(join(sub, "helpers.ts"), "export const scale = (x: number): number => x * 11;\n");
    const refused = await mlnb("script", "h.pipeline.ts");
    assert.notEqual(refused.code, 0);
    assert.match(refused.out, /input changed: helpers\.ts \(lock sha256 [0-9a-f]{64}, now [0-9a-f]{64}\)/);
  });
});
