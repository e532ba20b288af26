// Turns a kernel that died while starting into a message saying what to install, never a native module's stack.
import { spawnSync } from "node:child_process";
import { atLeast, MIN_NODE, nodeTooOld, START_FAILURE_MARK } from "./nodeVersion.js";

/** A kernel that could not start; its message is for the user as it stands (no stack to show). */
export class KernelStartError extends Error {
  override name = "KernelStartError";
  /** The kernel's raw stderr, for a log. */
  readonly detail: string;
  constructor(message: string, detail = "") {
    super(message);
    this.detail = detail;
  }
}

// How Node reports an addon that does not fit this platform or ABI (or cannot be found).
const NATIVE_FAILURE = /ERR_DLOPEN_FAILED|ERR_DLOPEN_DISABLED|NODE_MODULE_VERSION|invalid ELF header|wrong ELF class|not a valid Win32 application|mach-o|incompatible architecture|Cannot find module '[^']*\.node'|\.node: cannot open shared object/i;

// Packages that only locate a binary for another one: the module to name is the one that asked.
const LOADERS = new Set(["bindings", "node-gyp-build", "node-gyp-build-optional-packages", "prebuild-install", "@mapbox/node-pre-gyp"]);

/** The package whose binary failed: the owner of the `.node` file named, else the first caller in the stack that is not a loader. */
function nativeModuleOf(stderr: string): string {
  const pkg = (m: RegExpMatchArray) => m[1]!.replace(/\\/g, "/");
  const binary = /node_modules[\\/]((?:@[^\\/\s]+[\\/])?[^\\/\s]+)[^\s'"]*\.node\b/.exec(stderr);
  if (binary) return pkg(binary);
  for (const m of stderr.matchAll(/node_modules[\\/]((?:@[^\\/\s]+[\\/])?[^\\/\s]+)/g)) if (!LOADERS.has(pkg(m))) return pkg(m);
  return "a native module";
}

/** The version of Node `nodePath` is (run with `env`, so VS Code's runtime answers as Node), or undefined. */
export function nodeVersionOf(nodePath: string, env: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync(nodePath, ["-p", "process.versions.node"], { env, encoding: "utf8", timeout: 10_000 });
  const v = r.stdout?.trim();
  return r.status === 0 && /^\d+\.\d+/.test(v ?? "") ? v : undefined;
}

/**
 * Why the kernel at `nodePath` exited before it was ready, as one message: the kernel's own
 * account (START_FAILURE_MARK), a Node too old, a native module that does not load here, or the
 * first lines of what it printed.
 */
export function explainStartFailure(nodePath: string, env: NodeJS.ProcessEnv, stderr: string, how: string): KernelStartError {
  const own = stderr.split("\n").find((l) => l.startsWith(START_FAILURE_MARK));
  if (own) return new KernelStartError(own.slice("mlnb: ".length), stderr);
  const version = nodeVersionOf(nodePath, env);
  if (version && !atLeast(version, MIN_NODE)) return new KernelStartError(nodeTooOld(nodePath, version), stderr);
  if (!version) return new KernelStartError(`the kernel cannot start: ${nodePath} does not run as Node (it answered no version). Install Node >= ${MIN_NODE} (https://nodejs.org) or point the setting mlnb.nodePath at one.`, stderr);
  if (NATIVE_FAILURE.test(stderr)) {
    const error = stderr.split("\n").find((l) => /^\s*(Uncaught )?\w*Error\b[^:]*:/.test(l))?.replace(/^\s*(Uncaught )?\w*Error\b[^:]*:\s*/, "").trim() ?? "";
    return new KernelStartError(`the kernel cannot start: ${nativeModuleOf(stderr)} failed to load for this platform (${process.platform}-${process.arch}, Node ${version})${error ? `: ${error.replace(/\.$/, "")}` : ""}. Reinstall mlnb on this machine (npm install), or install the .vsix built for it.`, stderr);
  }
  const firstLines = stderr.split("\n").filter((l) => l.trim() && !/^\s+at /.test(l)).slice(0, 5).join("\n");
  return new KernelStartError(`the kernel exited during start (${how})${firstLines ? `:\n${firstLines}` : ""}`, stderr);
}
