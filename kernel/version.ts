// The mlnb package version (read once from package.json).
import { readFileSync } from "node:fs";

let cached: string | undefined;

/** mlnb's version, as in package.json. */
export function packageVersion(): string {
  return (cached ??= (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version);
}
