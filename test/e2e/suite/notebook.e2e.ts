// The extension's tests inside a real VS Code: open .mlnb notebooks, run cells in the kernel, check outputs and saved files.
import * as assert from "node:assert/strict";
import Mocha from "mocha";
import * as vscode from "vscode";
import { parseNotebook } from "../../../kernel/notebook/format.js";
import { VEGALITE_MIME } from "../../../kernel/protocol.js";
import { CELL_LANGUAGE, cellError, cellErrors, closeAll, exists, EXTENSION_ID, openNotebook, outputMimes, outputText, runAll, runCell, scratchNotebook, sleep, waitFor, waitForAsync, workspaceUri } from "./helpers.js";

type Body = (this: Mocha.Context) => Promise<void>;

function suite(parent: Mocha.Suite, title: string, define: (test: (name: string, body: Body) => void) => void): Mocha.Suite {
  const s = Mocha.Suite.create(parent, title);
  define((name, body) => s.addTest(new Mocha.Test(name, body)));
  s.afterEach(closeAll);
  return s;
}

const decoder = new TextDecoder();

/** Register every e2e test on the root suite. */
export function registerTests(root: Mocha.Suite): void {
  suite(root, "the mlnb extension", (test) => {
    test("activates and contributes its commands", async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
      await ext.activate();
      const commands = await vscode.commands.getCommands(true);
      for (const c of ["mlnb.restartKernel", "mlnb.newNotebook", "mlnb.runCellIgnoringCache", "mlnb.runStaleStages", "mlnb.runStageWithUpstream", "mlnb.exportPipeline", "mlnb.serveModel"]) {
        assert.ok(commands.includes(c), `command ${c} is registered`);
      }
    });

    test("opens a .mlnb file as an mlnb notebook with its cells and saved chart", async () => {
      const doc = await vscode.workspace.openNotebookDocument(workspaceUri("fixtures", "sample.mlnb"));
      assert.equal(doc.notebookType, "mlnb");
      assert.deepEqual(
        doc.getCells().map((c) => c.kind),
        [vscode.NotebookCellKind.Markup, vscode.NotebookCellKind.Code, vscode.NotebookCellKind.Code, vscode.NotebookCellKind.Code, vscode.NotebookCellKind.Code],
      );
      const chart = doc.cellAt(4).outputs[0];
      assert.deepEqual(chart.items.map((i) => i.mime), [VEGALITE_MIME, "text/plain"], "the vega-lite spec comes before its text fallback");
      assert.equal(JSON.parse(decoder.decode(chart.items[0].data)).mark, "bar");
    });

    test("refuses a malformed file with its line and column and leaves the file as it is", async () => {
      const uri = workspaceUri("fixtures", "broken.mlnb");
      const before = await vscode.workspace.fs.readFile(uri);
      await assert.rejects(async () => {
        await vscode.workspace.openNotebookDocument(uri);
      }, /line 3, column 1\b[^]*Expected double-quoted property name/);
      assert.deepEqual(await vscode.workspace.fs.readFile(uri), before);
    });

    test("runs all cells of the sample notebook and saves their outputs", async () => {
      const editor = await openNotebook(workspaceUri("fixtures", "sample.mlnb"));
      const cells = await runAll(editor.notebook);
      assert.match(outputText(cells[0]), /RESULT: hello from the mlnb kernel/);
      assert.match(outputText(cells[1]), /\b42\b/);
      assert.match(outputText(cells[2]), /line 1\nline 2\nline 3/);
      assert.match(outputText(cells[2]), /to stderr/);
      const orders = cells.map((c) => c.executionSummary?.executionOrder);
      assert.ok(orders.every((o) => typeof o === "number"), `every cell has an execution order: ${orders}`);
      assert.deepEqual([...orders].sort((a, b) => a! - b!), orders, "execution order follows the run");

      await editor.notebook.save();
      const saved = parseNotebook(decoder.decode(await vscode.workspace.fs.readFile(editor.notebook.uri)), "sample.mlnb");
      const code = saved.cells.filter((c) => c.kind === "code");
      assert.deepEqual(code.map((c) => c.executionCount), orders);
      const first = code[0].outputs[0];
      assert.ok(first.output_type === "stream" && first.text.includes("RESULT: hello from the mlnb kernel"), JSON.stringify(first));
      assert.ok(code[2].outputs.some((o) => o.output_type === "stream" && o.name === "stderr"), "stderr is saved as its own stream");
    });

    test("runs the penguins example notebook end to end and saves it", async function () {
      const uri = workspaceUri("notebooks", "penguins.mlnb");
      if (!(await exists(uri))) return this.skip();
      this.timeout(300_000);
      const editor = await openNotebook(uri);
      const cells = await runAll(editor.notebook, 280_000);
      for (const c of cells) assert.equal(cellError(c), undefined, `cell ${c.index} shows no error`);
      const mimes = cells.flatMap(outputMimes).flat();
      assert.ok(mimes.length > 0, "the notebook shows outputs");
      await editor.notebook.save();
      const saved = parseNotebook(decoder.decode(await vscode.workspace.fs.readFile(uri)), "penguins.mlnb");
      const code = saved.cells.filter((c) => c.kind === "code");
      assert.ok(code.every((c) => typeof c.executionCount === "number"), "every code cell saved its execution count");
      assert.equal(code.flatMap((c) => c.outputs).length, cells.flatMap((c) => c.outputs).length, "every output is saved");

      // Export Pipeline Script (palette and toolbar) writes the script and its lock beside the notebook.
      const script = workspaceUri("notebooks", "penguins.pipeline.ts");
      const lock = workspaceUri("notebooks", "penguins.pipeline.lock.json");
      await vscode.commands.executeCommand("mlnb.exportPipeline", editor.notebook);
      await waitForAsync("the exported script and lock", async () => (await exists(script)) && (await exists(lock)), 120_000);
      const text = decoder.decode(await vscode.workspace.fs.readFile(script));
      assert.match(text, /async function stage_train\(/);
      const locked = JSON.parse(decoder.decode(await vscode.workspace.fs.readFile(lock))) as { stages: Record<string, unknown> };
      assert.ok(Object.keys(locked.stages).includes("evaluate"), `the lock has the evaluate stage: ${Object.keys(locked.stages).join(", ")}`);
    });
  });

  suite(root, "the mlnb kernel in VS Code", (test) => {
    test("shows a runtime error with its name and message in the cell", async () => {
      const editor = await scratchNotebook('throw new RangeError("epochs must be positive")');
      const cell = await runCell(editor.notebook.cellAt(0));
      assert.equal(cell.executionSummary?.success, false);
      const err = cellError(cell);
      assert.equal(err?.name, "RangeError");
      assert.match(err?.message ?? "", /epochs must be positive/);
    });

    test("shows a dead kernel in the cell and starts a fresh kernel on the next run", async () => {
      // SIGKILL stands for any crash the kernel cannot report itself (out of memory, a native fault).
      const editor = await scratchNotebook("let before = 1;\nbefore", 'process.kill(process.pid, "SIGKILL");', "typeof before");
      await runCell(editor.notebook.cellAt(0));
      const died = await runCell(editor.notebook.cellAt(1));
      assert.equal(died.executionSummary?.success, false);
      assert.equal(cellError(died)?.name, "KernelDied");
      const after = await runCell(editor.notebook.cellAt(2));
      assert.match(outputText(after), /Cannot find name 'before'|undefined/, "the new kernel has none of the old kernel's variables");
      assert.equal(after.executionSummary?.executionOrder, 1, "a fresh kernel counts from 1");
    });

    test("Restart Kernel gives the notebook a fresh kernel", async () => {
      const editor = await scratchNotebook("let kept = 41;\nkept + 1", "typeof kept");
      const first = await runCell(editor.notebook.cellAt(0));
      assert.match(outputText(first), /\b42\b/);
      await vscode.commands.executeCommand("mlnb.restartKernel");
      const after = await runCell(editor.notebook.cellAt(1));
      assert.match(outputText(after), /Cannot find name 'kept'|undefined/, "the new kernel has none of the old kernel's variables");
      assert.equal(after.executionSummary?.executionOrder, 1, "a fresh kernel counts from 1");
    });

    test("interrupting a running cell stops it", async () => {
      const editor = await scratchNotebook('await new Promise((r) => setTimeout(r, 60_000));\n"finished"');
      const cell = editor.notebook.cellAt(0);
      const started = Date.now();
      const running = runCell(cell, 30_000);
      await new Promise((r) => setTimeout(r, 2500));
      await vscode.commands.executeCommand("notebook.cell.cancelExecution", { ranges: [{ start: 0, end: 1 }], document: editor.notebook.uri });
      await running;
      assert.ok(Date.now() - started < 20_000, "the cell stopped long before its timer");
      assert.notEqual(cell.executionSummary?.success, true);
      assert.doesNotMatch(outputText(cell), /finished/);
    });

    test("the mlnb.typeCheck setting reaches the kernel", async () => {
      const config = vscode.workspace.getConfiguration("mlnb");
      const editor = await scratchNotebook('const wrong: number = "text";\ntypeof wrong');
      try {
        await config.update("typeCheck", "error", vscode.ConfigurationTarget.Global);
        const strict = await runCell(editor.notebook.cellAt(0));
        assert.equal(strict.executionSummary?.success, false, "a type error stops the cell when typeCheck is error");
        assert.match(outputText(strict), /not assignable|TS2322/);
        // The check ran on the language server's TypeScript (IntelliSense's), not on a thread the kernel started.
        const loaded = (await vscode.commands.executeCommand("mlnb.kernelLoaded", editor.notebook.uri)) as { checker: string | null };
        assert.equal(loaded.checker, "language server");
        await config.update("typeCheck", "off", vscode.ConfigurationTarget.Global);
        const loose = await runCell(editor.notebook.cellAt(0));
        assert.equal(loose.executionSummary?.success, true, outputText(loose));
        assert.match(outputText(loose), /string/);
      } finally {
        await config.update("typeCheck", undefined, vscode.ConfigurationTarget.Global);
      }
    });

    test("Run Stale Stages runs the stages the kernel reports stale, upstream first", async () => {
      const editor = await scratchNotebook("%%stage base\nconst base = 20;", "%%stage doubled\nconst doubled = base * 2 + 2;\ndoubled", "// not a stage\n1");
      const [base, doubled, plain] = editor.notebook.getCells();
      await vscode.commands.executeCommand("mlnb.runStaleStages");
      await waitFor("both stages to run", () => base.executionSummary?.timing && doubled.executionSummary?.timing);
      assert.equal(base.executionSummary?.success, true, outputText(base));
      assert.match(outputText(doubled), /\b42\b/);
      assert.ok(base.executionSummary!.executionOrder! < doubled.executionSummary!.executionOrder!, "upstream stage ran first");
      assert.equal(plain.executionSummary?.timing, undefined, "a plain cell is not a stage and is left alone");
    });

    test("editing a stage makes its dependents' status bars say stale; Run Stale Stages makes them fresh", async () => {
      // Untitled notebooks have no run store of their own folder: a stage store still works (temp folder).
      const editor = await scratchNotebook("%%stage src\nconst src = 5;", "%%stage mid\nconst mid = src * 2;", "%%stage out\nconst out = mid + 1;\nout");
      const [src, mid, out] = editor.notebook.getCells();
      const uri = editor.notebook.uri;
      const labels = () => vscode.commands.executeCommand<Record<string, string>>("mlnb.stageLabels", uri);
      const stateOf = async (cell: vscode.NotebookCell) => ((await labels())[cell.document.uri.toString()] ?? "").split(" · ")[1];
      await runAll(editor.notebook);
      assert.match(outputText(out), /\b11\b/);
      for (const cell of [src, mid, out]) assert.equal(await stateOf(cell), "fresh");

      const edit = new vscode.WorkspaceEdit();
      edit.replace(src.document.uri, src.document.lineAt(1).range, "const src = 50;");
      assert.ok(await vscode.workspace.applyEdit(edit));
      let states: (string | undefined)[] = [];
      await waitForAsync("the dependents to be marked stale after the edit", async () => {
        states = await Promise.all([src, mid, out].map(stateOf));
        return states.every((s) => s === "stale");
      });
      assert.deepEqual(states, ["stale", "stale", "stale"]);

      await vscode.commands.executeCommand("mlnb.runStaleStages", editor.notebook);
      await waitForAsync("Run Stale Stages to make every stage fresh", async () => (await Promise.all([src, mid, out].map(stateOf))).every((s) => s === "fresh"), 120_000);
      assert.match(outputText(out), /\b101\b/);
    });

    test("Run Stage With Upstream runs a stage and the stages it reads from, and no others", async () => {
      const editor = await scratchNotebook("%%stage one\nconst one = 1;", "%%stage two\nconst two = one + 1;\ntwo", "%%stage three\nconst three = two + 1;");
      const [one, two, three] = editor.notebook.getCells();
      await vscode.commands.executeCommand("mlnb.runStageWithUpstream", two);
      await waitFor("stages one and two to run", () => one.executionSummary?.timing && two.executionSummary?.timing);
      assert.match(outputText(two), /\b2\b/);
      assert.equal(three.executionSummary?.timing, undefined, "the downstream stage is not run");
    });

    test("New ML Notebook opens an untitled mlnb notebook", async () => {
      await vscode.commands.executeCommand("mlnb.newNotebook");
      const editor = await waitFor("the new notebook", () => vscode.window.activeNotebookEditor);
      assert.equal(editor.notebook.notebookType, "mlnb");
      assert.ok(editor.notebook.isUntitled);
      assert.match(editor.notebook.getCells().map((c) => c.document.getText()).join("\n"), /%%stage ingest/);
    });
  });

  suite(root, "cell language and diagnostics", (test) => {
    test("opens the penguins notebook in the mlnb cell language with no false TypeScript errors", async function () {
      const uri = workspaceUri("notebooks", "penguins.mlnb");
      if (!(await exists(uri))) return this.skip();
      this.timeout(120_000);
      const editor = await openNotebook(uri);
      const code = editor.notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
      assert.deepEqual([...new Set(code.map((c) => c.document.languageId))], [CELL_LANGUAGE]);
      // The same cell as plain TypeScript is flagged by VS Code's TypeScript service (its %%stage line
      // at least): waiting for that shows the service is up and has seen this notebook.
      const probe = code.find((c) => c.document.lineAt(0).text.startsWith("%%stage clean"));
      assert.ok(probe, "the notebook has a clean stage");
      await vscode.languages.setTextDocumentLanguage(probe.document, "typescript");
      const flagged = await waitFor("the TypeScript service to flag the plain TypeScript cell", () => {
        const errors = cellErrors(probe);
        return errors.length > 0 && errors;
      }, 90_000);
      assert.ok(flagged.some((d) => d.range.start.line === 0), `the magic line is flagged: ${flagged.map((d) => d.message).join("; ")}`);
      await sleep(3000);
      const others = code.filter((c) => c !== probe).flatMap((c) => cellErrors(c).map((d) => `cell ${c.index}:${d.range.start.line + 1}: ${d.message}`));
      assert.deepEqual(others, [], "no errors on the mlnb cells");
    });

    test("gives a new code cell the mlnb cell language", async () => {
      const doc = await vscode.workspace.openNotebookDocument("mlnb", new vscode.NotebookData([new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, "# title", "markdown")]));
      const editor = await openNotebook(doc);
      editor.selection = new vscode.NotebookRange(0, 1);
      await vscode.commands.executeCommand("notebook.cell.insertCodeCellBelow");
      const cell = await waitFor("the new cell", () => doc.cellCount === 2 && doc.cellAt(1));
      assert.equal(cell.kind, vscode.NotebookCellKind.Code);
      assert.equal(cell.document.languageId, CELL_LANGUAGE);
    });

    test("shows the kernel's type error on the cell at its line and column until the cell is edited", async function () {
      this.timeout(150_000);
      // Type errors stop a cell only in error mode (the default, warn, runs it).
      const config = vscode.workspace.getConfiguration("mlnb");
      await config.update("typeCheck", "error", vscode.ConfigurationTarget.Global);
      try {
        const editor = await scratchNotebook('%%stage check\nconst base: number = 1;\nconst wrong: number = "text";\nwrong + base');
        const cell = await runCell(editor.notebook.cellAt(0));
        assert.equal(cell.executionSummary?.success, false);
        const error = cellError(cell);
        assert.equal(error?.name, "TypeScriptError", outputText(cell));
        const [, line, column] = /^Cell\[\d+\]:(\d+):(\d+) - TS2322:/.exec(error!.message) ?? [];
        assert.ok(line, `the kernel names the position: ${error!.message}`);
        const shown = await waitFor("the mlnb diagnostic", () => {
          const d = cellErrors(cell).filter((x) => x.source === "mlnb");
          return d.length > 0 && d;
        }, 10_000);
        assert.equal(shown.length, 1);
        assert.equal(shown[0].code, 2322);
        assert.match(shown[0].message, /not assignable to type 'number'/);
        assert.deepEqual([shown[0].range.start.line, shown[0].range.start.character], [Number(line) - 1, Number(column) - 1]);
        assert.equal(shown[0].range.start.line, 2, "the magic line counts: the error is on the cell's third line");
        assert.equal(cell.document.getText(shown[0].range), "wrong");

        const edit = new vscode.WorkspaceEdit();
        edit.replace(cell.document.uri, new vscode.Range(2, 22, 2, 28), "2");
        assert.ok(await vscode.workspace.applyEdit(edit));
        await waitFor("the diagnostic to clear after the edit", () => cellErrors(cell).every((d) => d.source !== "mlnb"), 10_000);
        const fixed = await runCell(cell);
        assert.equal(fixed.executionSummary?.success, true, outputText(fixed));
        await waitFor("no problems left", () => cellErrors(fixed).length === 0, 10_000);
      } finally {
        await config.update("typeCheck", undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });
}
