// The JSON-lines protocol: framing across chunk boundaries, and garbage that cannot wedge it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encode, LineDecoder, type Reply } from "../../kernel/protocol.js";

describe("protocol", () => {
  it("encodes one message per line", () => {
    const line = encode({ type: "stream", id: "e1", name: "stdout", text: "a\nb" });
    assert.equal(line, '{"type":"stream","id":"e1","name":"stdout","text":"a\\nb"}\n');
  });

  it("decodes messages split across chunks and several in one chunk", () => {
    const got: Reply[] = [];
    const d = new LineDecoder<Reply>((m) => got.push(m));
    const all = encode({ type: "status", state: "busy" }) + encode({ type: "done", id: "x", status: "ok", executionCount: 1, durationMs: 2 });
    d.push(all.slice(0, 10));
    assert.equal(got.length, 0);
    d.push(Buffer.from(all.slice(10)));
    assert.deepEqual(got.map((m) => m.type), ["status", "done"]);
  });

  it("hands a line that is not JSON to the garbage handler and keeps decoding", () => {
    const got: string[] = [];
    const bad: string[] = [];
    const d = new LineDecoder<Reply>((m) => got.push(m.type), (l) => bad.push(l));
    d.push("not json\n" + encode({ type: "status", state: "idle" }));
    assert.deepEqual(bad, ["not json"]);
    assert.deepEqual(got, ["status"]);
  });

  it("decodes a 40 MB line fed in 64 KB chunks, whole and unchanged", () => {
    const text = "x".repeat(40 * 2 ** 20 - 7) + "é€😀";
    const bytes = Buffer.from(encode({ type: "stream", id: "e1", name: "stdout", text }) + encode({ type: "status", state: "idle" }));
    const got: Reply[] = [];
    const d = new LineDecoder<Reply>((m) => got.push(m));
    for (let at = 0; at < bytes.length; at += 65536) d.push(bytes.subarray(at, at + 65536));
    assert.equal(got.length, 2);
    const first = got[0] as Extract<Reply, { type: "stream" }>;
    assert.equal(first.text.length, text.length);
    assert.equal(first.text, text);
    assert.equal(got[1]!.type, "status");
  });

  it("keeps a multi-byte character split between two chunks", () => {
    const got: Reply[] = [];
    const d = new LineDecoder<Reply>((m) => got.push(m));
    const bytes = Buffer.from(encode({ type: "stream", id: "e1", name: "stdout", text: "π≈3.14" }));
    const cut = bytes.indexOf(0xcf) + 1; // inside the two bytes of "π"
    d.push(bytes.subarray(0, cut));
    d.push(bytes.subarray(cut));
    assert.equal((got[0] as Extract<Reply, { type: "stream" }>).text, "π≈3.14");
  });
});
