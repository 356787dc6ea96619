// A real S3-compatible server for tests: s3rver on loopback, its data in a temp directory,
// with the buckets asked for. Credentials are s3rver's own (S3RVER / S3RVER), path-style.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";

export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export async function startS3Server(options: { buckets?: string[]; port?: number } = {}) {
  const directory = mkdtempSync(path.join(os.tmpdir(), "aura-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port ?? 0,
    silent: true,
    directory,
    configureBuckets: (options.buckets ?? ["aura"]).map((name) => ({ name, configs: [] })),
  });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    directory,
    /** The environment that points Aura's store at this server. */
    env: (bucket = options.buckets?.[0] ?? "aura") => ({
      STORAGE_BACKEND: "s3",
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_REGION: "us-east-1",
      S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    }),
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
