// Tests for the CLI's progress line: in place on a TTY, periodic lines otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ProgressLine } from "../../../kernel/cli/progress.js";

function stream(isTTY: boolean, columns = 40): { write(t: string): void; isTTY: boolean; columns: number; text: string } {
  return { isTTY, columns, text: "", write(t: string) { this.text += t; } };
}

test("redraws one line in place on a TTY and ends it before other output", () => {
  const s = stream(true);
  const p = new ProgressLine(s);
  p.update("train", "epoch 1/3 loss 1.0\n");
  p.update("train", "epoch 2/3 loss 0.5");
  p.update("train", "epoch 3/3 loss 0.25 and a tail far too long to fit in forty columns");
  p.finish();
  p.finish();
  assert.equal(s.text, "\r\x1b[2Kepoch 1/3 loss 1.0\r\x1b[2Kepoch 2/3 loss 0.5\r\x1b[2Kepoch 3/3 loss 0.25 and a tail far too…" +
    "\r\x1b[2Kepoch 3/3 loss 0.25 and a tail far too long to fit in forty columns\n");
});

test("starts a new line on a TTY when another display begins", () => {
  const s = stream(true);
  const p = new ProgressLine(s);
  p.update("a", "tune 1/2");
  p.update("b", "train 1/9");
  assert.equal(s.text, "\r\x1b[2Ktune 1/2\r\x1b[2Ktune 1/2\n\r\x1b[2Ktrain 1/9");
});

test("prints a line at most every interval when not a TTY, and the last state at the end", () => {
  const s = stream(false);
  let now = 0;
  const p = new ProgressLine(s, 5000, () => now);
  for (let e = 1; e <= 12; e++) { p.update("train", `epoch ${e}/12`); now += 1000; }
  p.finish();
  assert.equal(s.text, "epoch 1/12\nepoch 6/12\nepoch 11/12\nepoch 12/12\n");
});
