// The kernel's side of the five channels: receives, verifies and answers messages, publishes on iopub.
import type * as zmq from "zeromq";
import type { Sockets } from "./connection.js";
import { decode, encode, newHeader, Signer, WireError, type Message } from "./wire.js";

export type ChannelName = "shell" | "control" | "stdin";

/** Sends on one socket at a time: zeromq allows one pending send per socket. */
class Outbox {
  private chain: Promise<void> = Promise.resolve();
  constructor(private readonly socket: zmq.Writable<zmq.MessageLike[]>) {}
  send(frames: Buffer[]): Promise<void> {
    const next = this.chain.then(() => this.socket.send(frames));
    this.chain = next.catch(() => {});
    return next;
  }
}

/** Replies and publications of the kernel, signed and addressed to the request they answer. */
export class Channels {
  private readonly outboxes: Record<ChannelName | "iopub", Outbox>;
  /** Messages dropped because they were malformed or badly signed (counted for tests and logs). */
  dropped = 0;

  constructor(
    readonly sockets: Sockets,
    private readonly signer: Signer,
    readonly session: string,
    private readonly log: (line: string) => void,
  ) {
    this.outboxes = { shell: new Outbox(sockets.shell), control: new Outbox(sockets.control), stdin: new Outbox(sockets.stdin), iopub: new Outbox(sockets.iopub) };
  }

  /** Answer `parent` on its channel with `<type>_reply`-style message `msgType`. */
  reply(channel: ChannelName, parent: Message, msgType: string, content: Record<string, unknown>, metadata: Record<string, unknown> = {}): Promise<void> {
    const frames = encode({ identities: parent.identities, header: newHeader(msgType, this.session), parent_header: parent.header, metadata, content }, this.signer);
    return this.outboxes[channel].send(frames);
  }

  /** Publish on iopub (topic `kernel.<type>`) as a child of `parent`. */
  publish(parent: Message | undefined, msgType: string, content: Record<string, unknown>): Promise<void> {
    const frames = encode({ identities: [Buffer.from(`kernel.${msgType}`)], header: newHeader(msgType, this.session), parent_header: parent?.header ?? {}, metadata: {}, content }, this.signer);
    return this.outboxes.iopub.send(frames);
  }

  /** busy, then the work, then idle: every request is bracketed so clients know when it is done. */
  async busy<T>(parent: Message, work: () => Promise<T>): Promise<T> {
    await this.publish(parent, "status", { execution_state: "busy" });
    try {
      return await work();
    } finally {
      await this.publish(parent, "status", { execution_state: "idle" });
    }
  }

  /** Receive verified messages from a ROUTER channel until it closes; bad ones are logged and dropped. */
  async listen(channel: ChannelName, onMessage: (msg: Message) => void): Promise<void> {
    const socket = this.sockets[channel];
    try {
      for await (const frames of socket) {
        let msg: Message;
        try {
          msg = decode(frames, this.signer);
        } catch (e) {
          if (!(e instanceof WireError)) throw e;
          this.dropped++;
          this.log(`mlnb jupyter: dropped a message on ${channel}: ${e.message}`);
          continue;
        }
        onMessage(msg);
      }
    } catch (e) {
      if (!socket.closed) this.log(`mlnb jupyter: ${channel} channel failed: ${(e as Error).message}`);
    }
  }

  /** Echo heartbeats until the socket closes. */
  async heartbeat(): Promise<void> {
    const hb = this.sockets.hb;
    try {
      for await (const frames of hb) await hb.send(frames);
    } catch (e) {
      if (!hb.closed) this.log(`mlnb jupyter: heartbeat failed: ${(e as Error).message}`);
    }
  }
}
