// e2e tests of stages across kernel restarts on the penguins example: Run Stale Stages and Run Stage With Upstream, cached outputs replayed and saved.
import * as assert from "node:assert/strict";
import Mocha from "mocha";
import * as vscode from "vscode";
import { parseNotebook } from "../../../kernel/notebook/format.js";
import { cellError, closeAll, exists, openNotebook, outputText, runAll, waitForAsync, workspaceUri } from "./helpers.js";

const decoder = new TextDecoder();

/** Register the restart tests (they need notebooks/penguins.mlnb in the workspace). */
export function registerStageTests(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, "stages after Restart Kernel (penguins)");
  s.afterEach(closeAll);
  const test = (name: string, body: (this: Mocha.Context) => Promise<void>) => s.addTest(new Mocha.Test(name, body));

  test("Restart Kernel, then Run Stale Stages and Run Stage With Upstream succeed, cached stages replay their outputs and saving keeps them", async function () {
    const uri = workspaceUri("notebooks", "penguins.mlnb");
    if (!(await exists(uri))) return this.skip();
    this.timeout(600_000);
    const editor = await openNotebook(uri);
    const nb = editor.notebook;
    await runAll(nb, 300_000);
    const cellOf = (stage: string) => nb.getCells().find((c) => c.document.getText().startsWith(`%%stage ${stage}`))!;
    const [evaluate, deploy, train] = [cellOf("evaluate"), cellOf("deploy"), cellOf("train")];
    const labels = () => vscode.commands.executeCommand<Record<string, string>>("mlnb.stageLabels", nb.uri);
    const stateOf = async (cell: vscode.NotebookCell) => ((await labels())[cell.document.uri.toString()] ?? "").split(" · ")[1];
    const ended = (cell: vscode.NotebookCell) => cell.executionSummary?.timing?.endTime ?? 0;

    // After a restart the stages the store holds say so; the --no-cache deploy stage is stale.
    await vscode.commands.executeCommand("mlnb.restartKernel", nb);
    const deployBefore = ended(deploy);
    await vscode.commands.executeCommand("mlnb.runStaleStages", nb);
    await waitForAsync("Run Stale Stages to run deploy", async () => ended(deploy) > deployBefore, 300_000);
    for (const c of nb.getCells().filter((c) => ended(c) >= deployBefore && c.kind === vscode.NotebookCellKind.Code)) {
      assert.equal(cellError(c), undefined, `cell ${c.index} ran without error after the restart:\n${outputText(c).slice(0, 400)}`);
    }
    assert.equal(deploy.executionSummary?.success, true, outputText(deploy));
    assert.equal(await stateOf(deploy), "fresh");
    assert.equal(await stateOf(train), "cached", "train was restored from the cache (deploy reads its model)");
    // A restored stage shows what it showed when it ran, then one cached line.
    assert.match(outputText(train), /mlpClassifier: \d+ inputs -> Adelie, Chinstrap, Gentoo/);
    assert.match(outputText(train), /cached: from run \d+/);

    // Another restart: Run Stage With Upstream on evaluate runs the params cell first and restores its upstream.
    await vscode.commands.executeCommand("mlnb.restartKernel", nb);
    await waitForAsync("the restarted kernel's stages to say they are cached but not loaded", async () => (await stateOf(evaluate)) === "cached, not loaded", 60_000);
    const evaluateBefore = ended(evaluate);
    await vscode.commands.executeCommand("mlnb.runStageWithUpstream", evaluate);
    await waitForAsync("Run Stage With Upstream to run evaluate", async () => ended(evaluate) > evaluateBefore, 300_000);
    assert.equal(evaluate.executionSummary?.success, true, outputText(evaluate));
    assert.equal(await stateOf(evaluate), "cached");
    assert.match(outputText(evaluate), /<vega-lite chart: "Test set confusion matrix">\ncached: from run \d+/, "the restored stage shows its chart again, then the cached line");
    // Its result, metrics.perClass, is a list of records: it shows as a table (text form: "label | precision | ...").
    assert.match(outputText(evaluate), /^label \| precision\b[^\n]*\n(?:[^\n]*\n)*Chinstrap \| 1 \|/m, "and its result");

    await nb.save();
    const saved = parseNotebook(decoder.decode(await vscode.workspace.fs.readFile(uri)), "penguins.mlnb");
    const savedEvaluate = saved.cells.find((c) => c.kind === "code" && c.source.startsWith("%%stage evaluate"))!;
    assert.equal(savedEvaluate.outputs.length, evaluate.outputs.length, "every output of the restored stage is saved");
    assert.ok(savedEvaluate.outputs.length >= 2, `the restored stage saved its outputs and the cached line: ${JSON.stringify(savedEvaluate.outputs).slice(0, 300)}`);
  });
}
