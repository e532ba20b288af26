// e2e test of interrupt escalation: a cell the interrupt cannot stop makes VS Code offer to restart the kernel after 3 s.
import * as assert from "node:assert/strict";
import Mocha from "mocha";
import * as vscode from "vscode";
import { closeAll, outputText, runCell, scratchNotebook, sleep, waitFor } from "./helpers.js";

type Warn = typeof vscode.window.showWarningMessage;

/** Register the escalation test. */
export function registerEscalationTests(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, "an interrupt that does not stop the cell");
  s.afterEach(closeAll);
  const test = (name: string, body: (this: Mocha.Context) => Promise<void>) => s.addTest(new Mocha.Test(name, body));

  test("an interrupt that has not stopped a cell within 3 s offers to restart the kernel; accepting it restarts the kernel and the old variables are gone", async function () {
    this.timeout(180_000);
    const editor = await scratchNotebook(
      "const kept = process.pid;\nkept",
      // A catastrophic regex runs inside V8's regex engine, where no loop check of the cell reaches
      // it: minutes for 30 a's. The timer first lets "matching" reach VS Code.
      'console.log("matching");\nawait new Promise((r) => setTimeout(r, 200));\n/^(a+)+$/.test("a".repeat(30) + "b")',
      "[process.pid, typeof kept]",
    );
    const [first, stuck, after] = editor.notebook.getCells();
    await runCell(first!);
    const oldPid = Number(/\d+/.exec(outputText(first!))?.[0]);
    assert.ok(oldPid > 0, `the first cell shows the kernel's pid: ${outputText(first!)}`);

    // Watch the warnings the extension shows (it shares this extension's vscode API object); each
    // still goes to the real VS Code, whose notification the test then accepts as a user would.
    const offers: { message: string; at: number }[] = [];
    const window = vscode.window as { showWarningMessage: Warn };
    const original = window.showWarningMessage;
    window.showWarningMessage = function (this: unknown, message: string, ...rest: unknown[]) {
      offers.push({ message, at: Date.now() });
      return (original as (...a: unknown[]) => Thenable<unknown>).apply(this, [message, ...rest]);
    } as Warn;
    try {
      await vscode.commands.executeCommand("notifications.clearAll");
      const running = runCell(stuck!, 150_000);
      await waitFor("the stuck cell to print before its regex", () => /matching/.test(outputText(stuck!)), 60_000);
      await sleep(1000);
      const interruptedAt = Date.now();
      await vscode.commands.executeCommand("notebook.cell.cancelExecution", { ranges: [{ start: stuck!.index, end: stuck!.index + 1 }], document: editor.notebook.uri });
      await sleep(2000);
      assert.equal(offers.length, 0, `no offer within 2 s of the interrupt: ${offers.map((o) => o.message).join("; ")}`);
      assert.equal(stuck!.executionSummary?.timing?.endTime, undefined, "the interrupt has not stopped the regex");

      await waitFor("the offer to restart the kernel", () => offers.length > 0, 30_000);
      const offer = offers[0]!;
      assert.match(offer.message, /^mlnb: cell 2 did not stop within 3 s of the interrupt .*Restart the kernel\? Its variables will be lost\.$/);
      assert.ok(offer.at - interruptedAt >= 3000, `the offer came ${offer.at - interruptedAt} ms after the interrupt, not before 3 s`);
      assert.equal(stuck!.executionSummary?.timing?.endTime, undefined, "the cell was still running when the offer came");

      // Accept it: the notification's primary action, "Restart Kernel".
      await sleep(500);
      await vscode.commands.executeCommand("notification.acceptPrimaryAction");
      await running;
      assert.equal(offers.length, 1, "one offer for one interrupt");
      assert.notEqual(stuck!.executionSummary?.success, true, "the stuck cell ended without success when its kernel was stopped");
      assert.doesNotMatch(outputText(stuck!), /\bfalse\b/, "the regex never finished");

      await runCell(after!, 90_000);
      assert.equal(after!.executionSummary?.success, true, outputText(after!));
      const m = /\[\s*(\d+),\s*'(\w+)'\s*\]/.exec(outputText(after!));
      assert.ok(m, `the next cell shows the new kernel's pid and typeof kept: ${outputText(after!)}`);
      assert.notEqual(Number(m[1]), oldPid, "another kernel process runs the next cell");
      assert.equal(m[2], "undefined", "the restarted kernel has none of the old kernel's variables");
      assert.equal(after!.executionSummary?.executionOrder, 1, "a fresh kernel counts from 1");
      let oldAlive = true;
      try {
        process.kill(oldPid, 0);
      } catch {
        oldAlive = false;
      }
      assert.equal(oldAlive, false, `the old kernel ${oldPid}, stuck in the regex, is gone`);
    } finally {
      window.showWarningMessage = original;
    }
  });
}
