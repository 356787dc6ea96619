// Aura's object storage: one interface (types.ts), a local-directory driver and an
// S3-compatible one. `openStore` picks the driver from the settings; the S3 driver (and the
// AWS SDK) loads only when it is chosen.
import { LocalStore } from "./local.ts";
import type { StoreEnv } from "./config.ts";
import type { ObjectStore } from "./types.ts";

export * from "./config.ts";
export * from "./types.ts";
export { checkedKey } from "./keys.ts";
export { LocalStore };

/** The store the settings name: `localRoot` is the directory of the local driver. */
export async function openStore(env: StoreEnv, localRoot: string): Promise<ObjectStore> {
  if (env.STORAGE_BACKEND === "local") return new LocalStore(localRoot);
  const { S3Store } = await import("./s3.ts");
  return new S3Store({
    bucket: env.S3_BUCKET!,
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: env.S3_FORCE_PATH_STYLE ?? Boolean(env.S3_ENDPOINT),
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    prefix: env.S3_PREFIX,
  });
}
