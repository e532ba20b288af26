// Authoring in VS Code: IntelliSense in mlnb cells from the notebook language server, before any kernel starts.
import * as assert from "node:assert/strict";
import Mocha from "mocha";
import * as vscode from "vscode";
import { closeAll, outputText, runAll, runCell, scratchNotebook, sleep, waitFor, waitForAsync, workspaceUri } from "./helpers.js";

type Body = (this: Mocha.Context) => Promise<void>;

const LANG_SOURCE = "mlnb (ts)";

/** The language server's problems on a cell. */
function langProblems(cell: vscode.NotebookCell): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(cell.document.uri).filter((d) => d.source === LANG_SOURCE);
}

/** Ask a provider until it answers with something `ok` accepts (the server loads TypeScript on first use). */
async function until<T>(what: string, ask: () => Thenable<T>, ok: (v: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await ask();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(300);
  }
}

const endOf = (doc: vscode.TextDocument) => doc.positionAt(doc.getText().length);
const hoverText = (hovers: vscode.Hover[]) => hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");

/** Register the authoring tests on the root suite. */
export function registerAuthoringTests(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, "authoring: IntelliSense in cells");
  const test = (name: string, body: Body) => s.addTest(new Mocha.Test(name, body));
  s.afterEach(closeAll);

  test("after `read.` completion offers csv, with no kernel started", async function () {
    this.timeout(120_000);
    const editor = await scratchNotebook('import { read } from "mlnb";\nconst rows = read.');
    const doc = editor.notebook.cellAt(0).document;
    const list = await until(
      "completions of read.",
      () => vscode.commands.executeCommand<vscode.CompletionList>("vscode.executeCompletionItemProvider", doc.uri, endOf(doc)),
      (l) => l.items.some((i) => i.label === "csv"),
    );
    const labels = list.items.map((i) => (typeof i.label === "string" ? i.label : i.label.label));
    for (const verb of ["csv", "json", "parquet"]) assert.ok(labels.includes(verb), `read.${verb} is offered: ${labels.slice(0, 20).join(", ")}`);
    assert.ok(!labels.includes("console"), "only members of read, not globals");
    assert.equal(editor.notebook.cellAt(0).executionSummary?.executionOrder, undefined, "the cell never ran");
  });

  test("hover on split.trainTestSplit shows its signature and doc comment", async function () {
    this.timeout(120_000);
    const editor = await scratchNotebook('import { split } from "mlnb";\nsplit.trainTestSplit');
    const doc = editor.notebook.cellAt(0).document;
    const hovers = await until("a hover", () => vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", doc.uri, new vscode.Position(1, 10)), (h) => /trainTestSplit/.test(hoverText(h)));
    const text = hoverText(hovers);
    assert.match(text, /trainTestSplit: \(table: ColumnTable, options\?: TrainTestSplitOptions\) =>/);
    assert.match(text, /scikit-learn/i, "the doc comment is shown");
  });

  test("signature help names the parameter being typed", async function () {
    this.timeout(120_000);
    const editor = await scratchNotebook('import { split } from "mlnb";\nsplit.trainTestSplit(t, ');
    const doc = editor.notebook.cellAt(0).document;
    const help = await until("signature help", () => vscode.commands.executeCommand<vscode.SignatureHelp>("vscode.executeSignatureHelpProvider", doc.uri, endOf(doc)), (h) => !!h && h.signatures.length > 0);
    assert.match(help.signatures[0].label, /^trainTestSplit\(table: ColumnTable, options\?: TrainTestSplitOptions\)/);
    assert.equal(help.activeParameter, 1);
  });

  test("Go to Definition of a name from another cell lands on its declaration there", async function () {
    this.timeout(120_000);
    const editor = await scratchNotebook("const threshold = 0.5;", "threshold * 2");
    const [first, second] = editor.notebook.getCells();
    const locs = await until(
      "a definition",
      () => vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>("vscode.executeDefinitionProvider", second.document.uri, new vscode.Position(0, 3)),
      (l) => l.length > 0,
    );
    const loc = locs[0] as vscode.Location;
    assert.equal(loc.uri.toString(), first.document.uri.toString());
    assert.equal(first.document.getText(loc.range), "threshold");
  });

  test("a typo is squiggled before the cell runs", async function () {
    this.timeout(120_000);
    const editor = await scratchNotebook("const count = 3;\ncuont + 1");
    const cell = editor.notebook.cellAt(0);
    const [problem] = await waitFor("the typo's squiggle", () => langProblems(cell).length > 0 && langProblems(cell), 90_000);
    assert.equal(problem.code, 2552);
    assert.match(problem.message, /Cannot find name 'cuont'. Did you mean 'count'\?/);
    assert.equal(cell.document.getText(problem.range), "cuont");
    assert.equal(cell.executionSummary?.executionOrder, undefined, "the cell never ran");
  });

  test("a deleted cell's problems disappear", async function () {
    this.timeout(120_000);
    const editor = await scratchNotebook("const fine = 1;", "fine.notAMember()");
    const broken = editor.notebook.cellAt(1);
    const uri = broken.document.uri;
    await waitFor("the problem on the second cell", () => langProblems(broken).length > 0, 90_000);
    const edit = new vscode.WorkspaceEdit();
    edit.set(editor.notebook.uri, [vscode.NotebookEdit.deleteCells(new vscode.NotebookRange(1, 2))]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor("the deleted cell's problems to go", () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === LANG_SOURCE).length === 0, 30_000);
    assert.equal(editor.notebook.cellCount, 1);
  });

  test("a type error informs and the cell still runs by default", async function () {
    this.timeout(150_000);
    const editor = await scratchNotebook('const n: number = "seven";\n`ran with ${n}`');
    const cell = editor.notebook.cellAt(0);
    await waitFor("the squiggle", () => langProblems(cell).some((d) => d.code === 2322), 90_000);
    await vscode.commands.executeCommand("notebook.cell.execute", { ranges: [{ start: 0, end: 1 }], document: editor.notebook.uri });
    await waitFor("the cell to finish", () => cell.executionSummary?.timing?.endTime, 120_000);
    assert.equal(cell.executionSummary?.success, true);
    const text = cell.outputs.flatMap((o) => o.items).map((i) => new TextDecoder().decode(i.data)).join("\n");
    assert.match(text, /ran with seven/);
    assert.match(text, /TS2322/, "the warning is in the output too");
  });

  test("a cell importing ./helpers.ts runs, and editing the helper marks its stage and dependents stale", async function () {
    this.timeout(180_000);
    const helper = workspaceUri("helpers.ts");
    const write = (factor: number) => vscode.workspace.fs.writeFile(helper, new TextEncoder().encode(`/** Scales by ${factor}. */\nexport const scale = (x: number): number => x * ${factor};\n`));
    await write(10);
    try {
      const editor = await scratchNotebook('%%stage scaled\nimport { scale } from "./helpers.ts";\nconst scaled = scale(4);\nscaled', "%%stage report\nconst report = `scaled is ${scaled}`;\nreport");
      const [scaled, report] = editor.notebook.getCells();
      const labels = () => vscode.commands.executeCommand<Record<string, string>>("mlnb.stageLabels", editor.notebook.uri);
      const stateOf = async (cell: vscode.NotebookCell) => ((await labels())[cell.document.uri.toString()] ?? "").split(" · ")[1];
      await runAll(editor.notebook);
      assert.match(outputText(scaled), /\b40\b/);
      assert.match(outputText(report), /scaled is 40/);
      assert.deepEqual([await stateOf(scaled), await stateOf(report)], ["fresh", "fresh"]);
      await write(100);
      await waitForAsync("the stage importing the helper, and its dependent, to go stale", async () => (await stateOf(scaled)) === "stale" && (await stateOf(report)) === "stale", 60_000);
      await runCell(scaled);
      assert.match(outputText(scaled), /\b400\b/);
    } finally {
      await vscode.workspace.fs.delete(helper);
    }
  });

  test("the variables view lists penguins after the ingest stage runs, and the status bar shows the kernel idle", async function () {
    this.timeout(180_000);
    const editor = await scratchNotebook('%%stage ingest\nimport { read } from "mlnb";\nconst penguins = await read.json("notebooks/data/penguins.json");\npenguins.numRows()');
    assert.match(await vscode.commands.executeCommand<string>("mlnb.kernelStatusText"), /no kernel/);
    const cell = await runCell(editor.notebook.cellAt(0), 150_000);
    assert.equal(cell.executionSummary?.success, true, outputText(cell));
    const names = await waitForAsync("penguins in the variables view", async () => (await vscode.commands.executeCommand<string[]>("mlnb.variableNames")).includes("penguins"), 30_000).then(() => vscode.commands.executeCommand<string[]>("mlnb.variableNames"));
    assert.ok(names.includes("penguins") && names.includes("read"), names.join(", "));
    assert.ok(!names.includes("require") && !names.includes("display"));
    assert.match(await vscode.commands.executeCommand<string>("mlnb.kernelStatusText"), /mlnb: idle/);
  });
}
