// Tests of where the run store lives: MLNB_STORE resolved one way for every command.
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { kernelEnv, resolveStoreLocation, storeFromEnv } from "../../../kernel/stages/store/location.js";

test("a relative MLNB_STORE is taken from the folder the command started in, and an empty one means unset", () => {
  assert.equal(storeFromEnv({ MLNB_STORE: "runs/store" }), resolve("runs/store"));
  assert.equal(storeFromEnv({ MLNB_STORE: "" }), undefined);
  assert.equal(storeFromEnv({ MLNB_STORE: "  " }), undefined);
  assert.equal(storeFromEnv({}), undefined);
  assert.equal(storeFromEnv({ MLNB_STORE: "postgres://u@h/db" }), "postgres://u@h/db");
  assert.equal(resolveStoreLocation("s", "/base"), join("/base", "s"));
});

test("the kernel gets MLNB_STORE made absolute by its client, so a kernel running in the notebook's folder finds the same store", () => {
  assert.equal(kernelEnv({ MLNB_STORE: "rel", PATH: "p" }).MLNB_STORE, resolve("rel"));
  assert.equal(kernelEnv({ MLNB_STORE: "rel", PATH: "p" }).PATH, "p");
  assert.ok(!("MLNB_STORE" in kernelEnv({ MLNB_STORE: "" })));
});
