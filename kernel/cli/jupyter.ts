// `mlnb jupyter install|uninstall [--user | --sys-prefix | --prefix DIR]`: the kernelspec Jupyter clients start mlnb with.
import { defineCommand, startCommand, usageError } from "./args.js";
import { DISPLAY_NAME, installSpec, KernelspecError, uninstallSpec, type SpecLocation } from "../jupyter/kernelspec.js";

const SPEC = defineCommand({
  command: "jupyter",
  usage: ["mlnb jupyter install [--user | --sys-prefix | --prefix DIR]", "mlnb jupyter uninstall [--user | --sys-prefix | --prefix DIR]"],
  about: `Writes (or removes) the Jupyter kernelspec "mlnb" ("${DISPLAY_NAME}"), so JupyterLab, Notebook, nbclient and nbconvert run .ipynb notebooks in mlnb's kernel: the same session, magics, stages, cache and run store as VS Code and \`mlnb run\`.`,
  options: {
    user: { type: "boolean", help: "the user's Jupyter data dir (default; JUPYTER_DATA_DIR honoured)" },
    "sys-prefix": { type: "boolean", help: "the active Python environment (VIRTUAL_ENV, CONDA_PREFIX, else python3's sys.prefix)" },
    prefix: { type: "string", arg: "DIR", help: "DIR/share/jupyter/kernels/mlnb" },
  },
  positionals: { min: 1, max: 1, what: "action (install or uninstall)" },
});

/** Entry point of `mlnb jupyter`. */
export async function main(argv: string[]): Promise<number> {
  const args = startCommand(SPEC, argv);
  if (typeof args === "number") return args;
  const action = args.positionals[0];
  if (action !== "install" && action !== "uninstall") return usageError(SPEC, `unexpected action "${action}": install or uninstall?`);
  const { user, prefix } = args.values;
  const sysPrefix = args.values["sys-prefix"];
  if ([user, sysPrefix, prefix !== undefined].filter(Boolean).length > 1) return usageError(SPEC, "choose one of --user, --sys-prefix, --prefix DIR");
  const location: SpecLocation = prefix !== undefined ? { kind: "prefix", dir: prefix } : sysPrefix ? { kind: "sys-prefix" } : { kind: "user" };
  try {
    if (action === "install") {
      console.log(`installed kernelspec mlnb in ${installSpec(location)}`);
      return 0;
    }
    const removed = uninstallSpec(location);
    if (!removed) return console.error("mlnb jupyter: no mlnb kernelspec is installed there"), 1;
    console.log(`removed kernelspec mlnb from ${removed}`);
    return 0;
  } catch (e) {
    if (e instanceof KernelspecError) return console.error(`mlnb jupyter: ${e.message}`), 1;
    throw e;
  }
}
