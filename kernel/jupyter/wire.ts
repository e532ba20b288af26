// Jupyter messaging protocol 5.3 on the wire: multipart frames <-> messages, HMAC-SHA256 signatures.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
const DELIMITER = "<IDS|MSG>";

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  [key: string]: unknown;
}

/** One Jupyter message; `identities` are the ROUTER routing frames of the sender. */
export interface Message {
  identities: Buffer[];
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: Buffer[];
}

/** Why a multipart message was not accepted (it is dropped, and this is logged). */
export class WireError extends Error {
  override name = "WireError";
}

/** Signs and checks messages with the connection file's key (an empty key means no signing). */
export class Signer {
  private readonly key: Buffer;
  constructor(key: string, readonly scheme = "hmac-sha256") {
    if (key && scheme !== "hmac-sha256") throw new WireError(`signature_scheme ${JSON.stringify(scheme)} is not supported (mlnb speaks hmac-sha256)`);
    this.key = Buffer.from(key, "utf8");
  }

  /** Hex signature of the four JSON frames. */
  sign(frames: Buffer[]): string {
    if (!this.key.length) return "";
    const hmac = createHmac("sha256", this.key);
    for (const f of frames) hmac.update(f);
    return hmac.digest("hex");
  }

  /** True when `signature` is the signature of the frames (compared in constant time). */
  verify(signature: string, frames: Buffer[]): boolean {
    if (!this.key.length) return true;
    const expected = Buffer.from(this.sign(frames), "utf8");
    const got = Buffer.from(signature, "utf8");
    return expected.length === got.length && timingSafeEqual(expected, got);
  }
}

/** A new header for a message this kernel sends. */
export function newHeader(msgType: string, session: string): Header {
  return { msg_id: randomUUID(), session, username: "mlnb", date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
}

/** Parse received frames; throws WireError for a malformed message or a bad signature. */
export function decode(frames: Buffer[], signer: Signer): Message {
  const at = frames.findIndex((f) => f.length === DELIMITER.length && f.toString("latin1") === DELIMITER);
  if (at < 0) throw new WireError("no <IDS|MSG> delimiter");
  if (frames.length < at + 6) throw new WireError(`expected 5 frames after the delimiter, got ${frames.length - at - 1}`);
  const signature = frames[at + 1]!.toString("utf8");
  const parts = frames.slice(at + 2, at + 6);
  if (!signer.verify(signature, parts)) throw new WireError("bad signature");
  const json = (b: Buffer, what: string): Record<string, unknown> => {
    try {
      const v = JSON.parse(b.toString("utf8")) as unknown;
      if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new WireError(`${what} is not a JSON object`);
  };
  const header = json(parts[0]!, "header") as Header;
  if (typeof header.msg_type !== "string") throw new WireError("header.msg_type is missing");
  return {
    identities: frames.slice(0, at),
    header,
    parent_header: json(parts[1]!, "parent_header"),
    metadata: json(parts[2]!, "metadata"),
    content: json(parts[3]!, "content"),
    buffers: frames.slice(at + 6),
  };
}

/** Frames of a message: identities, delimiter, signature, the four JSON parts, buffers. */
export function encode(message: Omit<Message, "buffers"> & { buffers?: Buffer[] }, signer: Signer): Buffer[] {
  const parts = [message.header, message.parent_header, message.metadata, message.content].map((p) => Buffer.from(JSON.stringify(p), "utf8"));
  return [...message.identities, Buffer.from(DELIMITER, "latin1"), Buffer.from(signer.sign(parts), "utf8"), ...parts, ...(message.buffers ?? [])];
}
