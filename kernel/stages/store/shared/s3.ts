// Blobs in S3 (runs in the worker thread): content-addressed keys, conditional puts, standard AWS configuration.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

/** `s3://bucket/prefix` split into its bucket and key prefix (no trailing slash). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m || !m[1]) throw new Error(`MLNB_ARTIFACTS=${url}: an S3 artifact root is s3://bucket/prefix`);
  return { bucket: m[1], prefix: m[2]!.replace(/\/+$/, "") };
}

const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;

/**
 * The S3 side of an artifact root. Credentials, region and endpoint come from the standard AWS
 * environment (AWS_ACCESS_KEY_ID, AWS_REGION, AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_S3, profiles);
 * a custom endpoint (MinIO, a test server) is addressed path-style.
 */
export function connectS3(url: string) {
  const { bucket, prefix } = parseS3Url(url);
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const client = new S3Client({ region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1", ...(endpoint ? { endpoint, forcePathStyle: true } : {}) });
  const key = (hash: string) => `${prefix ? `${prefix}/` : ""}${hash.slice(0, 2)}/${hash.slice(2)}`;
  const where = (hash: string) => `s3://${bucket}/${key(hash)}`;
  const head = async (hash: string): Promise<number> => {
    try {
      return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key(hash) }))).ContentLength ?? 0;
    } catch (e) {
      if (statusOf(e) === 404) return -1;
      throw new Error(`${where(hash)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return {
    /** Size of a stored blob, or -1 when it is absent. */
    head,
    /**
     * Store bytes under their hash unless present. S3 makes an object visible only whole; the
     * put is conditional (If-None-Match: *), so two writers of one blob never race: the second
     * gets 412 and the object is the same bytes either way.
     */
    async put(hash: string, bytes: Uint8Array): Promise<void> {
      if ((await head(hash)) >= 0) return;
      try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key(hash), Body: bytes, IfNoneMatch: "*" }));
      } catch (e) {
        if (statusOf(e) === 412 || statusOf(e) === 409) return;
        throw new Error(`${where(hash)}: cannot store (${e instanceof Error ? e.message : String(e)})`);
      }
    },
    async get(hash: string): Promise<Uint8Array | undefined> {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key(hash) }));
        return await res.Body!.transformToByteArray();
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw new Error(`${where(hash)}: cannot read (${e instanceof Error ? e.message : String(e)})`);
      }
    },
    close: () => client.destroy(),
  };
}
