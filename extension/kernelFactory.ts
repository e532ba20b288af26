// Starts a real kernel through kernel/client.ts, loaded from the extension's out/ folder at run time.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { KernelConnection, KernelFactory, KernelStartOptions } from "./kernel.js";

interface ClientModule {
  KernelClient: { start(options: KernelStartOptions): Promise<KernelConnection> };
}

/**
 * The client stays an ES module beside the kernel it spawns (out/kernel/server.js), rather than
 * being bundled into the CommonJS extension, so its own path lookups keep working.
 */
export function createKernelFactory(extensionPath: string): KernelFactory {
  const url = pathToFileURL(join(extensionPath, "out", "kernel", "client.js")).href;
  let loaded: Promise<ClientModule> | undefined;
  return async (options) => {
    loaded ??= import(url) as Promise<ClientModule>;
    const mod = await loaded;
    return mod.KernelClient.start(options);
  };
}
