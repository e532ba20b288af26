// What the kernel needs of the Node it runs on, checked at start and explained when a start fails.
import { sqliteBackend } from "../sqlite/open.js";
import { swcInstalled } from "../transpile/swc.js";
import { atLeast, MIN_NODE, nodeTooOld } from "./nodeVersion.js";
// The version rules live apart (runtime/nodeVersion.ts) so that clients, which explain failed starts,
// do not load the SQLite and swc wrappers.

/**
 * Everything the kernel cannot run without: a Node new enough, a SQLite for the run store (loaded
 * now) and an installed swc build for cells (found, not loaded: a fresh kernel over a warm store
 * finds every cell already stripped, and swc's native binary costs about 60 ms to load; a build
 * found here that then fails to load falls back to the WebAssembly one, see transpile/swc.ts).
 * Returns a user message (what failed, what to install), or undefined.
 */
export function checkKernelRequirements(): string | undefined {
  if (!atLeast(process.versions.node, MIN_NODE)) return nodeTooOld(process.execPath, process.versions.node);
  try {
    sqliteBackend();
    swcInstalled();
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}
