// `mlnb jupyter install|uninstall [--user | --sys-prefix | --prefix DIR]`: the kernelspec Jupyter clients start mlnb with.
import { parseArgs, UsageError } from "./args.js";
import { DISPLAY_NAME, installSpec, KernelspecError, uninstallSpec, type SpecLocation } from "../jupyter/kernelspec.js";

const HELP = `usage: mlnb jupyter install [--user | --sys-prefix | --prefix DIR]
       mlnb jupyter uninstall [--user | --sys-prefix | --prefix DIR]

Writes (or removes) the Jupyter kernelspec "mlnb" ("${DISPLAY_NAME}"), so JupyterLab, Notebook,
nbclient and nbconvert run .ipynb notebooks in mlnb's kernel: the same session, magics, stages,
cache and run store as VS Code and \`mlnb run\`.

  --user          the user's Jupyter data dir (default; JUPYTER_DATA_DIR honoured)
  --sys-prefix    the active Python environment (VIRTUAL_ENV, CONDA_PREFIX, else python3's sys.prefix)
  --prefix DIR    DIR/share/jupyter/kernels/mlnb`;

/** Entry point of `mlnb jupyter`. */
export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, ["prefix"]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`mlnb jupyter: ${e.message}\n\n${HELP}`);
    return 2;
  }
  if (args.flags.has("help")) return console.log(HELP), 0;
  const [action, ...extra] = args.positionals;
  const unknown = [...args.flags].find((f) => f !== "user" && f !== "sys-prefix");
  if ((action !== "install" && action !== "uninstall") || extra.length || unknown) {
    console.error(`mlnb jupyter: ${unknown ? `unknown option --${unknown}` : action ? `unexpected ${extra.length ? `argument ${extra[0]}` : `action "${action}"`}` : "install or uninstall?"}\n\n${HELP}`);
    return 2;
  }
  const chosen = [args.flags.has("user"), args.flags.has("sys-prefix"), args.values.has("prefix")].filter(Boolean).length;
  if (chosen > 1) return console.error(`mlnb jupyter: choose one of --user, --sys-prefix, --prefix DIR\n\n${HELP}`), 2;
  const location: SpecLocation = args.values.has("prefix") ? { kind: "prefix", dir: args.values.get("prefix")! } : args.flags.has("sys-prefix") ? { kind: "sys-prefix" } : { kind: "user" };
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
