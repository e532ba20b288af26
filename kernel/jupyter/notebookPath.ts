// Where a Jupyter kernel's notebook is (its run store lives beside it): a module of its own, read before the front end loads.
import { basename, isAbsolute, join } from "node:path";

/** Where the notebook is: JPY_SESSION_NAME (set by Jupyter servers), MLNB_NOTEBOOK, else a name in the working folder. */
export function notebookPathFor(env: NodeJS.ProcessEnv, cwd: string): string {
  const session = env.JPY_SESSION_NAME;
  if (session) return isAbsolute(session) ? session : join(cwd, basename(session));
  return env.MLNB_NOTEBOOK ?? join(cwd, `${basename(cwd)}.mlnb`);
}
