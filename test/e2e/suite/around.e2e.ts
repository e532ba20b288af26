// VS Code around the cells: stages as outline symbols, `mlnb` in a new integrated terminal, New ML Notebook runs as created, Load Into Kernel replays displays.
import * as assert from "node:assert/strict";
import Mocha from "mocha";
import * as vscode from "vscode";
import { CELL_LANGUAGE, EXTENSION_ID, closeAll, exists, openNotebook, outputMimes, outputText, runAll, waitFor, waitForAsync, workspaceUri } from "./helpers.js";

type Body = (this: Mocha.Context) => Promise<void>;
const decoder = new TextDecoder();

/** Write an .mlnb file of code cells into the workspace. */
async function writeNotebook(name: string, sources: string[]): Promise<vscode.Uri> {
  const uri = workspaceUri(name);
  const cells = sources.map((source) => ({ kind: "code", language: "typescript", metadata: {}, outputs: [], source: source.split("\n") }));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({ cells, metadata: {}, mlnb: 1 }, null, 2) + "\n"));
  return uri;
}

/** The document symbols VS Code's providers give a cell. */
const symbolsOf = (cell: vscode.NotebookCell) => vscode.commands.executeCommand<vscode.DocumentSymbol[]>("vscode.executeDocumentSymbolProvider", cell.document.uri).then((s) => s ?? []);

/** Register the tests of VS Code's parts around the cells. */
export function registerAroundTests(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, "around the cells: outline, terminal, new notebook, Load Into Kernel");
  const test = (name: string, body: Body) => s.addTest(new Mocha.Test(name, body));
  s.afterEach(closeAll);

  test("each stage is an outline symbol with its needs, from --needs before a kernel and from the graph once one runs", async function () {
    this.timeout(180_000);
    const uri = await writeNotebook("outline.mlnb", [
      "%%params\nconst factor = 3;",
      "%%stage ingest\nconst rows = [1, 2, 3];",
      "%%stage scale --needs ingest\nconst scaled = rows.map((r) => r * factor);",
      '%%stage report --gate "n>=1"\nimport { log } from "mlnb";\nlog.metric("n", scaled.length);\nconst report = `${scaled.length} rows`;',
      "const plain = 1;",
    ]);
    const editor = await openNotebook(uri);
    const cells = editor.notebook.getCells();
    const describe = async () => (await Promise.all(cells.map(symbolsOf))).map((list) => list.map((d) => `${d.name} [${d.detail}] ${d.kind}`).join(";"));
    const before = await describe();
    assert.deepEqual(before, [`params [] ${vscode.SymbolKind.Constant}`, `ingest [] ${vscode.SymbolKind.Function}`, `scale · needs ingest [] ${vscode.SymbolKind.Function}`, `report [gate n>=1] ${vscode.SymbolKind.Function}`, ""]);
    const [scale] = await symbolsOf(cells[2]!);
    assert.equal(cells[2]!.document.getText(scale!.selectionRange), "scale");
    await runAll(editor.notebook);
    // With a kernel, the needs found from what each stage reads join the declared ones, once the
    // kernel's graph after the run has reached the extension (it comes after the cells' results).
    const wanted = `report · needs scale [gate n>=1] ${vscode.SymbolKind.Function}`;
    await waitForAsync("the outline to show the needs the kernel found", async () => (await describe())[3] === wanted, 30_000).catch(() => undefined);
    const after = await describe();
    assert.equal(after[3], `report · needs scale [gate n>=1] ${vscode.SymbolKind.Function}`);
    assert.equal(after[2], `scale · needs ingest [] ${vscode.SymbolKind.Function}`);
  });

  test("a new integrated terminal finds mlnb on its PATH and runs the extension's CLI", async function () {
    this.timeout(120_000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const out = workspaceUri("terminal-mlnb.txt");
    if (await exists(out)) await vscode.workspace.fs.delete(out);
    const terminal = vscode.window.createTerminal({ name: "mlnb e2e", cwd: workspaceUri() });
    try {
      terminal.sendText("mlnb --version > terminal-mlnb.part 2>&1; command -v mlnb >> terminal-mlnb.part; mv terminal-mlnb.part terminal-mlnb.txt");
      await waitForAsync("the terminal's output file", () => exists(out), 90_000);
      // VS Code's shell integration may write its escape sequences (OSC 633) into a redirected stream.
      const text = decoder.decode(await vscode.workspace.fs.readFile(out)).replace(/\x1b\][^\x07]*\x07/g, "");
      const [version, where] = text.trim().split("\n");
      assert.equal(version, ext.packageJSON.version, "mlnb --version printed the extension's version");
      assert.match(where ?? "", /[\\/]bin[\\/]mlnb$/, "mlnb is the launcher in the extension's storage");
      assert.match(where!, /[\\/]globalStorage[\\/]mlnb\.mlnb[\\/]bin[\\/]mlnb$/, "the launcher lives in the extension's global storage");
    } finally {
      terminal.dispose();
      await vscode.workspace.fs.delete(out).then(undefined, () => undefined);
    }
  });

  test("mlnb: New ML Notebook creates a notebook that Run All runs as created, its gate passed", async function () {
    this.timeout(400_000);
    await vscode.commands.executeCommand("mlnb.newNotebook");
    const notebook = await waitFor("the new notebook", () => vscode.window.activeNotebookEditor?.notebook.isUntitled && vscode.window.activeNotebookEditor.notebook);
    assert.equal(notebook.notebookType, "mlnb");
    const code = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    assert.ok(code.every((c) => c.document.languageId === CELL_LANGUAGE));
    await openNotebook(notebook);
    await runAll(notebook, 360_000);
    assert.ok(code.every((c) => c.executionSummary?.success === true));
    const evaluate = code.find((c) => c.document.getText().startsWith("%%stage evaluate"))!;
    assert.match(outputText(evaluate), /^label \| precision \| recall \| f1 \| support$/m, outputText(evaluate));
    const train = code.find((c) => c.document.getText().startsWith("%%stage train"))!;
    assert.match(outputText(train), /logisticRegression: height, width -> large, medium, small/);
  });

  test("Load Into Kernel shows each loaded stage's recorded displays, the cached line and its result in its cell", async function () {
    this.timeout(240_000);
    const uri = await writeNotebook("load-replay.mlnb", ['%%stage shown\nconst items = ["a", "b", "c"];\ndisplay.markdown(`**${items.length} items** made`);\n`items: ${items.join(" ")}`']);
    const editor = await openNotebook(uri);
    const nb = editor.notebook;
    const [cell] = await runAll(nb);
    const ranMimes = outputMimes(cell!);
    assert.ok(ranMimes.some((m) => m.includes("text/markdown")), JSON.stringify(ranMimes));
    await vscode.commands.executeCommand("mlnb.restartKernel", nb);
    await vscode.commands.executeCommand("notebook.clearAllCellsOutputs");
    await waitFor("the outputs to be cleared", () => cell!.outputs.length === 0, 30_000);
    // The Runs view lists the notebook's runs once it is shown.
    await vscode.commands.executeCommand("workbench.view.extension.mlnb");
    const runs = async () => (await vscode.commands.executeCommand<{ runs: { id: number }[] }>("mlnb.viewsState", nb.uri)).runs;
    await waitForAsync("the run in the Runs view", async () => (await runs()).length > 0, 60_000);
    const [run] = await runs();
    const result = await vscode.commands.executeCommand<{ loaded: string[] }>("mlnb.loadRunIntoKernel", { kind: "run", notebook: nb, run });
    assert.deepEqual(result.loaded, ["shown"]);
    await waitFor("the replayed outputs", () => cell!.outputs.length >= 3, 30_000);
    const markdown = cell!.outputs[0]!.items.find((i) => i.mime === "text/markdown");
    assert.equal(markdown && decoder.decode(markdown.data), "**3 items** made");
    assert.match(outputText(cell!), new RegExp(`cached: from run ${run!.id} at [^\\n]+\\n[\\s\\S]*'items: a b c'`));
    await waitFor("the restored cell's execution to end as a success", () => cell!.executionSummary?.success === true, 30_000);
    const labels = await vscode.commands.executeCommand<Record<string, string>>("mlnb.stageLabels", nb.uri);
    assert.match(labels[cell!.document.uri.toString()] ?? "", /\bstage shown · cached(?!, not loaded)/);
  });
}
