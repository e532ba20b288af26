// Versions that decide a pipeline's numbers: mlnb, tfjs, arquero, the tfjs backend, Node.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The mlnb package folder (this file is out/kernel/pipeline/versions.js). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

const PACKAGES = ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm", "arquero"];

function packageVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The tfjs backend mlnb picks when a notebook does not choose: MLNB_BACKEND, else tfjs-node when installed, else wasm. */
export function defaultBackend(): string {
  const forced = process.env.MLNB_BACKEND?.trim();
  if (forced) return forced;
  try {
    createRequire(join(PACKAGE_ROOT, "package.json")).resolve("@tensorflow/tfjs-node");
    return "tensorflow";
  } catch {
    return "wasm";
  }
}

/**
 * Installed versions of mlnb and the packages that decide results, plus `tfjsBackend` (given,
 * or the default) and `node`. Missing packages are left out.
 */
export function installedVersions(backend = defaultBackend()): Record<string, string> {
  const require = createRequire(join(PACKAGE_ROOT, "package.json"));
  const out: Record<string, string> = { mlnb: packageVersion(PACKAGE_ROOT) ?? "unknown" };
  for (const name of PACKAGES) {
    let version: string | undefined;
    try {
      version = packageVersion(dirname(require.resolve(`${name}/package.json`)));
    } catch {
      version = packageVersion(join(PACKAGE_ROOT, "node_modules", name));
    }
    if (version) out[name] = version;
  }
  out.tfjsBackend = backend;
  out.node = process.versions.node;
  return out;
}

/** Differences between the lock's versions and these ("arquero 8.0.3 -> 8.1.0"); `node` is ignored. */
export function versionChanges(locked: Record<string, string>, now: Record<string, string>): string[] {
  return Object.keys(locked)
    .filter((k) => k !== "node" && now[k] !== undefined && locked[k] !== now[k])
    .map((k) => `${k} ${locked[k]} -> ${now[k]}`);
}
