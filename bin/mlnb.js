#!/usr/bin/env node
// The `mlnb` executable: runs the compiled CLI (npm run build produces out/).
import { main } from "../out/kernel/cli.js";
process.exitCode = await main(process.argv.slice(2));
