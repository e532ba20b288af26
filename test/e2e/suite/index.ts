// Mocha entry that VS Code's extension host loads as extensionTestsPath (bundled to out/test/e2e/index.cjs).
import Mocha from "mocha";
import { registerAroundTests } from "./around.e2e.js";
import { registerAuthoringTests } from "./authoring.e2e.js";
import { registerEscalationTests } from "./escalation.e2e.js";
import { registerTests } from "./notebook.e2e.js";
import { registerStageTests } from "./stages.e2e.js";

/** Run the suite; VS Code reads failure from the rejected promise. A RESULT line carries the counts to the runner. */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: "bdd", color: false, timeout: 90_000, reporter: "spec" });
  if (process.env.MLNB_E2E_GREP) mocha.grep(process.env.MLNB_E2E_GREP);
  registerTests(mocha.suite);
  registerStageTests(mocha.suite);
  registerAuthoringTests(mocha.suite);
  registerAroundTests(mocha.suite);
  registerEscalationTests(mocha.suite);
  const counts = await new Promise<{ passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
  });
  console.log(`[mlnb-e2e] RESULT passed=${counts.passes} failed=${counts.failures} skipped=${counts.pending}`);
  if (counts.failures > 0) throw new Error(`${counts.failures} e2e test(s) failed`);
}
