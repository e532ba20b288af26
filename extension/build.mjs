// Bundles the extension (CommonJS, vscode external), the vega-lite and table renderers (browser ESM), the panels' webview script and the e2e mocha entry.
import { build } from "esbuild";

const watch = process.argv.includes("--watch");
const common = { bundle: true, sourcemap: true, logLevel: "warning" };

const targets = [
  // The package is "type": "module", so the extension host's require() needs the .cjs extension.
  { ...common, entryPoints: ["extension/extension.ts"], outfile: "out/extension.cjs", platform: "node", format: "cjs", target: "node20", external: ["vscode"] },
  { ...common, entryPoints: ["extension/renderer/vegalite.ts"], outfile: "out/renderer/vegalite.js", platform: "browser", format: "esm", target: "es2022", minify: true, sourcemap: false },
  { ...common, entryPoints: ["extension/renderer/table.ts"], outfile: "out/renderer/table.js", platform: "browser", format: "esm", target: "es2022", minify: true, sourcemap: false },
  { ...common, entryPoints: ["extension/renderer/panel.ts"], outfile: "out/renderer/panel.js", platform: "browser", format: "iife", target: "es2022", minify: true, sourcemap: false },
  // Runs inside VS Code's extension host as the extensionTestsPath; mocha stays a runtime require.
  { ...common, entryPoints: ["test/e2e/suite/index.ts"], outfile: "out/test/e2e/index.cjs", platform: "node", format: "cjs", target: "node20", external: ["vscode", "mocha"] },
];

if (watch) {
  const { context } = await import("esbuild");
  for (const t of targets) await (await context(t)).watch();
} else {
  await Promise.all(targets.map((t) => build(t)));
}
