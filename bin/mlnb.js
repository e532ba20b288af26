#!/usr/bin/env node
// The `mlnb` executable: runs the compiled CLI (npm run build produces out/), on a Node new enough for it.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`mlnb needs Node >= 20.19, and ${process.execPath} is Node ${process.versions.node}. Install Node 20.19 or newer (https://nodejs.org).`);
  process.exit(1);
}
const { main } = await import("../out/kernel/cli.js");
process.exitCode = await main(process.argv.slice(2));
