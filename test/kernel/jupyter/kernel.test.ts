// Tests of mlnb's Jupyter kernel with the real jupyter_client: execute, outputs, completion, inspect, interrupt, restart.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { jupyterHome, runPython } from "./driver.js";

const home = jupyterHome();
after(() => home.cleanup());

const SCRIPT = String.raw`
result["info"] = kc.kernel_info(reply=True)["content"]
result["first"] = run("const x = 40 + 2;\nx")
result["print"] = run("console.log('hi', x)")
result["error"] = run("const y = 1;\nthrow new Error('boom at line 2')")
result["display"] = run("import { context } from 'mlnb';\ncontext().display({ 'text/plain': 'epoch 1' }, 'p1');\ncontext().display({ 'text/plain': 'epoch 2' }, 'p1');")
result["silent"] = run("const hidden = 7; hidden", silent=True)
result["after_silent"] = run("x + hidden", user_expressions={"double": "x * 2", "bad": "JSON.parse('{')"})
result["complete"] = kc.complete("Math.ab", 7, reply=True)["content"]
result["complete_dot"] = kc.complete("Math.", 5, reply=True)["content"]
result["complete_history"] = kc.complete("const z = x.toFix", 17, reply=True)["content"]
result["inspect"] = kc.inspect("Math.abs(-1)", 6, reply=True)["content"]
result["is_complete"] = {code: shell(kc.is_complete(code)) for code in ["function f() {", "const s = ${"`"}abc", "x + 1", "%%stage a\nconst a = 1;", "const = ;"]}
result["comm_info"] = kc.comm_info(reply=True)["content"]
result["history"] = kc.history(hist_access_type="tail", n=2, reply=True)["content"]
result["stage"] = run("%%stage ingest\nconst rows = [1, 2, 3].map((v) => v * 2);\nrows.length")
# interrupt by message (the kernelspec's interrupt_mode), then by SIGINT; state survives both
msg_id = kc.execute("while (true) {}")
time.sleep(2)
result["complete_while_busy"] = kc.complete("Math.", 5, reply=True, timeout=60)["content"]
km.interrupt_kernel()
result["interrupt_message"] = shell(msg_id)
msg_id = kc.execute("let spins = 0; while (true) { spins++ }")
time.sleep(2)
os.kill(km.provisioner.pid, signal.SIGINT)
result["interrupt_signal"] = shell(msg_id)
result["kept"] = run("x")
result["alive"] = km.is_alive()
km.restart_kernel(now=False)
kc.wait_for_ready(timeout=60)
result["after_restart"] = run("x")
result["stage_after_restart"] = run("%%stage ingest\nconst rows = [1, 2, 3].map((v) => v * 2);\nrows.length")
result["restored"] = run("rows")
`;

let result: Record<string, any>;
before(async () => {
  result = (await runPython(SCRIPT, [home.notebookDir], home.env)).result;
});

const outputsOf = (r: any, type: string) => r.outputs.filter((o: any) => o.type === type);

test("kernel_info names the TypeScript language and protocol 5.3", () => {
  assert.equal(result.info.protocol_version, "5.3");
  assert.equal(result.info.implementation, "mlnb");
  assert.equal(result.info.language_info.name, "typescript");
  assert.equal(result.info.language_info.file_extension, ".ts");
});

test("execute publishes execute_input and execute_result with the execution count", () => {
  assert.equal(result.first.reply.status, "ok");
  assert.equal(result.first.reply.execution_count, 1);
  assert.deepEqual(outputsOf(result.first, "execute_input")[0].code, "const x = 40 + 2;\nx");
  assert.deepEqual(outputsOf(result.first, "execute_result")[0].data, { "text/plain": "42" });
  assert.equal(outputsOf(result.first, "execute_result")[0].execution_count, 1);
  assert.deepEqual(outputsOf(result.print, "stream"), [{ type: "stream", name: "stdout", text: "hi 42\n" }]);
});

test("an error replies with status error and a traceback in the cell's line numbers", () => {
  assert.equal(result.error.reply.status, "error");
  assert.equal(result.error.reply.ename, "Error");
  assert.equal(result.error.reply.evalue, "boom at line 2");
  const tb = outputsOf(result.error, "error")[0].traceback.join("\n");
  assert.match(tb, /line 2/);
});

test("a display with an id is display_data once, then update_display_data in place", () => {
  const shown = result.display.outputs.filter((o: any) => o.type === "display_data" || o.type === "update_display_data");
  assert.deepEqual(
    shown.map((o: any) => [o.type, o.data["text/plain"], o.transient.display_id]),
    [
      ["display_data", "epoch 1", "p1"],
      ["update_display_data", "epoch 2", "p1"],
    ],
  );
});

test("silent execution publishes nothing and does not count; user_expressions are evaluated", () => {
  assert.deepEqual(result.silent.outputs, []);
  assert.equal(result.after_silent.reply.execution_count, 5);
  assert.deepEqual(outputsOf(result.after_silent, "execute_result")[0].data, { "text/plain": "49" });
  assert.deepEqual(result.after_silent.reply.user_expressions.double, { status: "ok", data: { "text/plain": "84" }, metadata: {} });
  assert.equal(result.after_silent.reply.user_expressions.bad.status, "error");
  assert.equal(result.after_silent.reply.user_expressions.bad.ename, "SyntaxError");
});

test("completion after Math. offers abs, with the replaced range in code points", () => {
  assert.ok(result.complete_dot.matches.includes("abs"), JSON.stringify(result.complete_dot.matches));
  assert.ok(result.complete_dot.matches.includes("max"));
  assert.deepEqual(result.complete.matches, ["abs"]);
  assert.equal(result.complete.cursor_start, 5);
  assert.equal(result.complete.cursor_end, 7);
});

test("completion is answered while a cell is still running", () => {
  assert.ok(result.complete_while_busy.matches.includes("abs"));
});

test("completion knows the types of names earlier cells defined", () => {
  assert.deepEqual(result.complete_history.matches, ["toFixed"]);
});

test("inspect shows the signature and documentation", () => {
  assert.equal(result.inspect.found, true);
  assert.match(result.inspect.data["text/plain"], /Math\.abs\(x: number\): number/);
  assert.match(result.inspect.data["text/plain"], /absolute value/);
});

test("is_complete tells open blocks and strings from whole and invalid code", () => {
  const c = result.is_complete;
  assert.equal(c["function f() {"].status, "incomplete");
  assert.equal(c["function f() {"].indent, "  ");
  assert.equal(c["const s = `abc"].status, "incomplete");
  assert.equal(c["x + 1"].status, "complete");
  assert.equal(c["%%stage a\nconst a = 1;"].status, "complete");
  assert.equal(c["const = ;"].status, "invalid");
});

test("comm_info is empty and history returns the stored inputs", () => {
  assert.deepEqual(result.comm_info, { status: "ok", comms: {} });
  assert.deepEqual(
    result.history.history.map((h: any) => h[2]),
    ["const x = 40 + 2;\nx", "console.log('hi', x)", "import { context } from 'mlnb';\ncontext().display({ 'text/plain': 'epoch 1' }, 'p1');\ncontext().display({ 'text/plain': 'epoch 2' }, 'p1');", "x + hidden"].slice(-2),
  );
});

test("a stage cell runs as a stage and records into the run store beside the notebook", () => {
  assert.equal(result.stage.reply.status, "ok");
  assert.deepEqual(outputsOf(result.stage, "execute_result")[0].data, { "text/plain": "3" });
  const store = join(home.notebookDir, ".mlnb");
  assert.ok(existsSync(store), "no run store beside the notebook");
  const runs = JSON.parse(execFileSync(process.execPath, [join(process.cwd(), "bin", "mlnb.js"), "runs", "--store", store, "--json"], { encoding: "utf8" })) as { stages: number; cached: number }[];
  // The first session ran the stage; the session after the restart restored it from the cache.
  assert.deepEqual(runs.map((r) => [r.stages, r.cached]).sort(), [[1, 0], [1, 1]]);
});

test("interrupt_request and SIGINT stop while (true) {} and the state is kept", () => {
  assert.equal(result.interrupt_message.status, "error");
  assert.equal(result.interrupt_message.ename, "KeyboardInterrupt");
  assert.equal(result.interrupt_signal.status, "error");
  assert.equal(result.interrupt_signal.ename, "KeyboardInterrupt");
  assert.deepEqual(outputsOf(result.kept, "execute_result")[0].data, { "text/plain": "42" });
  assert.equal(result.alive, true);
});

test("restart gives a fresh session whose stages come from the cache", () => {
  assert.equal(result.after_restart.reply.status, "error");
  assert.match(result.after_restart.reply.evalue, /x is not defined|Cannot find name 'x'/);
  assert.equal(result.after_restart.reply.execution_count, 1);
  const text = outputsOf(result.stage_after_restart, "stream").map((o: any) => o.text).join("");
  assert.match(text, /cache|restored/i);
  assert.equal(result.stage_after_restart.reply.status, "ok");
  assert.deepEqual(outputsOf(result.restored, "execute_result")[0].data, { "text/plain": "[ 2, 4, 6 ]" });
});
