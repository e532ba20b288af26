// A served penguins bundle on 127.0.0.1 for the server tests: started once per test file, closed after it.
import { after } from "node:test";
import { deploy } from "../../../kernel/ml/index.js";
import { createServer } from "../../../kernel/serve/index.js";
import { penguinBundle } from "../ml/deploy/penguins.js";

/** Train and bundle the penguins model, serve it with `options` on a free port, stop it after the file's tests. */
export function servedPenguins(options: Parameters<typeof createServer>[1]) {
  const setup = (async () => {
    const made = await penguinBundle();
    const predictor = await deploy.load(made.dir);
    const srv = createServer(predictor, options);
    const { url } = await srv.listen(0);
    return { ...made, predictor, srv, url };
  })();
  after(async () => {
    const { srv, predictor } = await setup;
    await srv.close();
    predictor.dispose();
  });
  return setup;
}

/** Rows without their label: what a client sends to /predict. */
export const inputs = (rows: Record<string, unknown>[]) => rows.map(({ Species: _s, ...rest }) => rest);
