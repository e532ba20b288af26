// The one-line summary of a stage shown in its cell's status bar (pure, no `vscode`).

/** Text for a stage info record, e.g. "stage train · ran · 1.2 s" or "stage ingest · cached". */
export function stageLabel(info: Record<string, unknown>): string | undefined {
  if (typeof info.name !== "string") return undefined;
  const parts = [`$(layers) stage ${info.name}`];
  if (typeof info.state === "string") parts.push(info.state);
  if (info.cached === true && info.state !== "cached") parts.push("cached");
  const ms = typeof info.durationMs === "number" ? info.durationMs : typeof info.duration === "number" ? info.duration : undefined;
  if (ms !== undefined) parts.push(ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
  return parts.join(" · ");
}
