// Tests of the Jupyter wire format: frames, HMAC-SHA256 signatures, and fuzzed input that must never crash the decoder.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { decode, encode, newHeader, Signer, WireError } from "../../../kernel/jupyter/wire.js";
import { codePointsToOffset, offsetToCodePoints } from "../../../kernel/jupyter/intel.js";

const signer = new Signer("secret");

test("encodes a message whose signature is the HMAC-SHA256 of its four JSON frames, and decodes it back", () => {
  const header = newHeader("execute_request", "s1");
  const frames = encode({ identities: [Buffer.from("client-1")], header, parent_header: {}, metadata: { m: 1 }, content: { code: "1 + 1" } }, signer);
  assert.equal(frames[1]!.toString(), "<IDS|MSG>");
  const expected = createHmac("sha256", "secret").update(frames[3]!).update(frames[4]!).update(frames[5]!).update(frames[6]!).digest("hex");
  assert.equal(frames[2]!.toString(), expected);
  const msg = decode(frames, signer);
  assert.deepEqual(msg.identities.map(String), ["client-1"]);
  assert.equal(msg.header.msg_type, "execute_request");
  assert.equal(msg.header.version, "5.3");
  assert.deepEqual(msg.content, { code: "1 + 1" });
});

test("rejects a message whose content was changed after signing", () => {
  const frames = encode({ identities: [], header: newHeader("execute_request", "s"), parent_header: {}, metadata: {}, content: { code: "1" } }, signer);
  frames[5] = Buffer.from(JSON.stringify({ code: "process.exit(1)" }));
  assert.throws(() => decode(frames, signer), (e: unknown) => e instanceof WireError && e.message === "bad signature");
  assert.throws(() => decode(frames.slice(0, 4), signer), /expected 5 frames after the delimiter, got 3/);
});

test("fuzzed frames are either decoded or rejected with a WireError (seeded)", () => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const good = encode({ identities: [Buffer.from("id")], header: newHeader("kernel_info_request", "s"), parent_header: {}, metadata: {}, content: {} }, signer);
  let decoded = 0;
  for (let i = 0; i < 2000; i++) {
    const frames = good.map((f) => Buffer.from(f));
    const which = Math.floor(rand() * frames.length);
    const f = frames[which]!;
    if (f.length) f[Math.floor(rand() * f.length)] = Math.floor(rand() * 256);
    if (rand() < 0.2) frames.splice(Math.floor(rand() * frames.length), 1);
    try {
      decode(frames, rand() < 0.5 ? signer : new Signer(""));
      decoded++;
    } catch (e) {
      assert.ok(e instanceof WireError, String(e));
    }
  }
  assert.ok(decoded > 0 && decoded < 2000);
});

test("cursor positions convert between code points and UTF-16 offsets", () => {
  const code = "const s = '😀'; Math.";
  assert.equal(codePointsToOffset(code, [...code].length), code.length);
  assert.equal(offsetToCodePoints(code, code.length), [...code].length);
  assert.equal(codePointsToOffset(code, 12), 13);
});
