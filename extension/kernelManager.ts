// One kernel per notebook: starts on first run, forgets a kernel that exited so the next run starts a fresh one (no `vscode`).
import type { KernelConnection, KernelFactory, KernelStartOptions } from "./kernel.js";

export interface KernelManagerEvents {
  /** A kernel ended; `expected` is false when it died rather than being shut down or restarted. */
  onExit?(key: string, code: number | null, signal: string | null, expected: boolean): void;
  onStart?(key: string): void;
}

/** Keeps the live kernel of every open notebook, keyed by the notebook's URI. */
export class KernelManager {
  private readonly kernels = new Map<string, Promise<KernelConnection>>();
  private readonly stopping = new WeakSet<KernelConnection>();

  constructor(
    private readonly factory: KernelFactory,
    private readonly events: KernelManagerEvents = {},
  ) {}

  /** The notebook's kernel, started with `options()` when there is none (or the last one died). */
  get(key: string, options: () => KernelStartOptions): Promise<KernelConnection> {
    let kernel = this.kernels.get(key);
    if (!kernel) {
      kernel = this.start(key, options());
      this.kernels.set(key, kernel);
      // A failed start must not stick: the next run tries again.
      kernel.catch(() => {
        if (this.kernels.get(key) === kernel) this.kernels.delete(key);
      });
    }
    return kernel;
  }

  /** The live kernel, if one was started and has not exited. */
  peek(key: string): Promise<KernelConnection> | undefined {
    return this.kernels.get(key);
  }

  private async start(key: string, options: KernelStartOptions): Promise<KernelConnection> {
    const kernel = await this.factory(options);
    kernel.on("exit", (code, signal) => {
      const expected = this.stopping.has(kernel);
      void this.kernels.get(key)?.then((current) => {
        if (current === kernel) this.kernels.delete(key);
      });
      this.events.onExit?.(key, code, signal, expected);
    });
    this.events.onStart?.(key);
    return kernel;
  }

  /** Stop the notebook's kernel; the next run (or get) starts a new one. */
  async shutdown(key: string): Promise<void> {
    const kernel = this.kernels.get(key);
    this.kernels.delete(key);
    if (!kernel) return;
    const k = await kernel.catch(() => undefined);
    if (!k) return;
    this.stopping.add(k);
    await k.shutdown();
  }

  /** Shut down and start again right away, so the user sees the restart succeed or fail now. */
  async restart(key: string, options: () => KernelStartOptions): Promise<KernelConnection> {
    await this.shutdown(key);
    return this.get(key, options);
  }

  async shutdownAll(): Promise<void> {
    await Promise.all([...this.kernels.keys()].map((k) => this.shutdown(k)));
  }
}
