// The store's settings from the environment, validated with messages that name the variable.
// (STORAGE_BACKEND, not STORAGE_DRIVER: buildah, Podman and containers/storage read that one.)
// STORAGE_BACKEND=local (the default) keeps everything in STORAGE_DIR; STORAGE_BACKEND=s3 uses
// a bucket on any S3-compatible store.
import { z } from "zod";

const flag = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");

export const storeEnvSchema = z
  .object({
    STORAGE_BACKEND: z.enum(["local", "s3"], { error: "STORAGE_BACKEND must be local or s3" }).default("local"),
    S3_BUCKET: z.string().min(3, "S3_BUCKET must name the bucket").optional(),
    S3_REGION: z.string().min(1).default("us-east-1"),
    S3_ENDPOINT: z.url("S3_ENDPOINT must be a URL such as http://127.0.0.1:9000").optional(),
    /** Path-style addressing (endpoint/bucket/key): the default when S3_ENDPOINT is set. */
    S3_FORCE_PATH_STYLE: flag.optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-][A-Za-z0-9_\-./]*$/, "S3_PREFIX must be letters, digits, '-', '_', '.', '/'")
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_BACKEND === "s3" && !env.S3_BUCKET)
      ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "S3_BUCKET is required when STORAGE_BACKEND=s3" });
    if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY)
      ctx.addIssue({ code: "custom", path: ["S3_SECRET_ACCESS_KEY"], message: "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together" });
  });

export type StoreEnv = z.infer<typeof storeEnvSchema>;
