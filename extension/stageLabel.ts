// Stage status bar text and the kernel's stage snapshot read into per-cell labels (pure, no `vscode`).
import { formatDuration } from "../kernel/text/duration.js";

/** What the kernel says of one stage in a snapshot (`stages` of a stage reply or a sync result). */
export interface StageSnapshotEntry {
  state: string;
  cellId: string;
  info?: { durationMs?: number; cached?: boolean };
}

/** Text for a stage, e.g. "stage train · fresh · 1.2 s" or "stage ingest · cached · 340 ms". */
export function stageLabel(info: Record<string, unknown>): string | undefined {
  const name = typeof info.stage === "string" ? info.stage : typeof info.name === "string" ? info.name : undefined;
  if (!name) return undefined;
  const parts = [`$(layers) stage ${name}`];
  // "unloaded": the store can restore it, this kernel has not run it (after a restart).
  if (typeof info.state === "string") parts.push(info.state === "unloaded" ? "cached, not loaded" : info.state);
  if (info.cached === true && info.state !== "cached") parts.push("cached");
  const ms = typeof info.durationMs === "number" ? info.durationMs : typeof info.duration === "number" ? info.duration : undefined;
  if (ms !== undefined && info.state !== "stale" && info.state !== "running" && info.state !== "unloaded") parts.push(formatDuration(ms));
  return parts.join(" · ");
}

/**
 * Per-cell status texts from a kernel snapshot `{ stages: { name: { state, cellId, info } } }`:
 * every stage of the notebook, so dependents of an edited stage show "stale" too.
 */
export function labelsFromSnapshot(snapshot: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const stages = (snapshot as { stages?: Record<string, StageSnapshotEntry> } | undefined)?.stages;
  if (!stages || typeof stages !== "object") return out;
  for (const [name, s] of Object.entries(stages)) {
    if (typeof s?.cellId !== "string") continue;
    const label = stageLabel({ stage: name, state: s.state, cached: s.info?.cached, durationMs: s.info?.durationMs });
    if (label) out.set(s.cellId, label);
  }
  return out;
}
