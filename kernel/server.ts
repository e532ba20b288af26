// The kernel process entry: starts the type checker thread, then loads the kernel (kernelMain.ts).
//
// Started by the extension and the CLI (kernel/client.ts) as `node --experimental-import-meta-resolve
// out/kernel/server.js` with the notebook's folder as working directory. The checker thread starts
// before the kernel's ~150 modules load, so TypeScript loads on the other core meanwhile (a dynamic
// import: static ones would all load before this module's code ran).
import { prestartChecker } from "./exec/checkerPrestart.js";
import { dropAddedHugePages } from "./runtime/hugePages.js";

dropAddedHugePages();
prestartChecker(process.cwd());
await import("./kernelMain.js");
