// Authoring in VS Code: IntelliSense in mlnb cells from the notebook language server, before any kernel starts.
import * as assert from "node:assert/strict";
import Mocha from "mocha";
import * as vscode from "vscode";
import { closeAll, scratchNotebook, sleep, waitFor } from "./helpers.js";

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
}
