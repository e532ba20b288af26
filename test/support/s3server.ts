// An S3-compatible test stand-in (the npm package s3rver) in its own process on 127.0.0.1, one bucket ready.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./postgres.js";

/** A running stand-in: its endpoint, the environment the AWS SDK reads, and stop. */
export interface TestS3 {
  endpoint: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Start s3rver with `bucket` in a child process. Its own process, because a shared store blocks
 * its caller's thread while its worker talks to S3: a server on that thread could not answer.
 */
export async function startS3(bucket: string): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), "mlnb-s3-"));
  const port = await freePort();
  const code = `const S3rver = require("s3rver");
new S3rver({ port: ${port}, address: "127.0.0.1", silent: true, directory: ${JSON.stringify(dir)}, configureBuckets: [{ name: ${JSON.stringify(bucket)} }] })
  .run().then(() => console.log("ready"), (e) => { console.error(e); process.exit(1); });`;
  const child: ChildProcess = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.on("exit", (c) => reject(new Error(`s3rver exited with ${c}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    // s3rver accepts these well-known test credentials
    env: { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" },
    async stop() {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on("exit", () => resolve());
        child.kill();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
