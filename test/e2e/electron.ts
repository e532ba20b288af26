// `npm run test:electron`: the same extension-host suite in desktop VS Code via @vscode/test-electron (downloads VS Code, so it needs internet).
import { join } from "node:path";
import { runTests } from "@vscode/test-electron";
import { prepareRun, ROOT } from "./workspace.js";

const dirs = prepareRun(`electron-${process.pid}`);
try {
  await runTests({
    version: process.env.MLNB_VSCODE_VERSION ?? "1.100.3",
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, "out", "test", "e2e", "index.cjs"),
    launchArgs: [dirs.workspace, "--disable-workspace-trust", "--disable-extensions", "--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions],
  });
  console.log("test:electron passed");
} catch (e) {
  console.error(`test:electron failed: ${(e as Error).message}`);
  process.exitCode = 1;
}
