// `log.metric` / `log.param`: record into the current stage run (or print, outside a stage).
import { context } from "./context.js";

export const log = {
  /** Record a metric (a finite number) of the running stage. */
  metric(name: string, value: number): void {
    if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError(`log.metric("${name}"): value must be a finite number, got ${String(value)}`);
    context().metric(name, value);
  },
  /** Record a param of the running stage. */
  param(name: string, value: unknown): void {
    context().param(name, value);
  },
};
