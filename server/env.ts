// Environment variables, validated once with clear messages. The launcher (scripts/launch.ts)
// fills in DATABASE_URL, AUTH_SECRET and RENDER_WORKER_SECRET on the embedded default.
import path from "node:path";
import { storeEnvSchema, type StoreEnv } from "@aura/object-store";
import { z } from "zod";
import { parseTrustedProxies } from "./lib/client-address.ts";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// URL"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters (openssl rand -base64 32)"),
  AURA_DATA_DIR: z.string().default(".data"),
  STORAGE_DIR: z.string().optional(),
  /** One render worker, or a pool: a comma-separated list of URLs. */
  RENDER_WORKER_URL: z
    .string()
    .default("http://127.0.0.1:4100")
    .transform((v) =>
      v
        .split(",")
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(z.url("RENDER_WORKER_URL must be a URL such as http://127.0.0.1:4100, or a comma-separated list of them")).min(1, "RENDER_WORKER_URL is empty"),
    ),
  /** "dns": each URL's host name is resolved to all its addresses, one worker per address. */
  RENDER_WORKER_DISCOVERY: z.enum(["list", "dns"], { error: "RENDER_WORKER_DISCOVERY must be list or dns" }).default("list"),
  /** How long the worker running a render may not answer before the render moves to another worker. */
  RENDER_WORKER_FAILOVER_SECONDS: z.coerce.number().min(1).max(3600).default(90),
  RENDER_WORKER_SECRET: z.string().min(16, "RENDER_WORKER_SECRET must be at least 16 characters"),
  /** How long a render waits for an unreachable worker (a restart) before it fails. */
  RENDER_WORKER_WAIT_SECONDS: z.coerce.number().min(0).max(86_400).default(300),
  ENGINE_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  STEP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  STEP_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  WORKSPACE_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  RENDER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  REVIEW_TIMEOUT_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(72),
  JOB_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Segments the render workers share in an S3 store are removed after this many days unwritten. */
  RENDER_SHARED_CACHE_DAYS: z.coerce.number().min(1).max(3650).default(14),
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  INNGEST_DEV: z.enum(["0", "1"]).optional(),
  INNGEST_BASE_URL: z.url("INNGEST_BASE_URL must be a URL").optional(),
  INNGEST_EVENT_KEY: z.string().min(1).optional(),
  INNGEST_SIGNING_KEY: z.string().min(1).optional(),
  ESPEAK_BINARY: z.string().default("espeak-ng"),
  /** The offline English voices: festival (with the HTS voice cmu_us_slt_arctic_hts) and flite. */
  FESTIVAL_BINARY: z.string().default("festival"),
  FLITE_BINARY: z.string().default("flite"),
  /** Forced alignment of narration that came without word times: pocketsphinx and its English model. */
  POCKETSPHINX_BINARY: z.string().default("pocketsphinx_continuous"),
  POCKETSPHINX_MODEL_DIR: z.string().default("/usr/share/pocketsphinx/model/en-us"),
  /** The address people reach the app at, for links in e-mails. */
  PUBLIC_URL: z.url("PUBLIC_URL must be a URL such as https://aura.example.com").optional(),
  /** Invitations are e-mailed when set: smtp://user:password@host:587 or smtps://…:465. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "SMTP_URL must start with smtp:// or smtps://")
    .optional(),
  SMTP_FROM: z.string().default("Aura <no-reply@localhost>"),
  /** Server-wide offline mode: no provider that needs the network is ever called. */
  AURA_OFFLINE: z.enum(["0", "1"]).default("0"),
  /** Encrypts provider API keys at rest; AUTH_SECRET when unset. */
  PROVIDER_KEY_SECRET: z.string().min(32, "PROVIDER_KEY_SECRET must be at least 32 characters").optional(),
  /** Private hosts a provider URL may name, as host:port or host:* (the defaults are Ollama's and SD WebUI's). */
  PROVIDER_PRIVATE_HOSTS: z.string().default("localhost:11434,127.0.0.1:11434,localhost:7860,127.0.0.1:7860"),
  /** Private hosts a webhook URL may name (host:port or host:*); none by default. */
  WEBHOOK_PRIVATE_HOSTS: z.string().default(""),
  PROVIDER_TIMEOUT_SEC: z.coerce.number().positive().max(600).default(90),
  PROVIDER_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** A Retry-After longer than this makes the chain fall back instead of waiting. */
  PROVIDER_MAX_RETRY_WAIT_SEC: z.coerce.number().min(0).max(600).default(20),
  PROVIDER_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  PROVIDER_BREAKER_RESET_SEC: z.coerce.number().positive().max(3600).default(60),
  /** Hosts Pexels' photo URLs may point to (the search answer names them). */
  PEXELS_IMAGE_HOSTS: z.string().default("images.pexels.com"),
  /** Hosts stock video clips may be downloaded from (the search answers name them). */
  PEXELS_VIDEO_HOSTS: z.string().default("videos.pexels.com"),
  PIXABAY_VIDEO_HOSTS: z.string().default("cdn.pixabay.com"),
  /** The largest stock video clip downloaded, in MB (1024 × 1024 bytes). */
  STOCK_VIDEO_MAX_MB: z.coerce.number().positive("STOCK_VIDEO_MAX_MB must be more than 0").max(4096).default(150),
  /** AI video generation (OpenAI's video API): how often a waiting generation is asked about,
   *  how long it may take before the shot falls back to the next provider, and the largest
   *  finished clip downloaded (MB). */
  AI_VIDEO_POLL_SEC: z.coerce.number().min(0.05, "AI_VIDEO_POLL_SEC must be at least 0.05").max(600).default(15),
  AI_VIDEO_TIMEOUT_MIN: z.coerce
    .number()
    .positive("AI_VIDEO_TIMEOUT_MIN must be more than 0")
    .max(24 * 60)
    .default(10),
  AI_VIDEO_MAX_MB: z.coerce.number().positive("AI_VIDEO_MAX_MB must be more than 0").max(4096).default(200),
  /** Piper: the binary, and the folder of voice models (.onnx with their .onnx.json) a workspace picks from. */
  PIPER_BINARY: z.string().default("piper"),
  /** Default workspace quotas (a workspace may have its own); 0 means no limit. */
  QUOTA_CONCURRENT_JOBS: z.coerce.number().int().min(0).default(0),
  QUOTA_VIDEOS_PER_DAY: z.coerce.number().int().min(0).default(0),
  QUOTA_MINUTES_PER_MONTH: z.coerce.number().min(0).default(0),
  QUOTA_MAX_LENGTH_SEC: z.coerce.number().int().min(0).default(0),
  PIPER_MODELS_DIR: z.string().optional(),
  /** Media library: the largest upload of each kind, in MB. */
  LIBRARY_MAX_IMAGE_MB: z.coerce.number().positive().max(100, "LIBRARY_MAX_IMAGE_MB can be at most 100").default(25),
  LIBRARY_MAX_VIDEO_MB: z.coerce.number().positive().max(10_240, "LIBRARY_MAX_VIDEO_MB can be at most 10240").default(250),
  LIBRARY_MAX_AUDIO_MB: z.coerce.number().positive().max(2048, "LIBRARY_MAX_AUDIO_MB can be at most 2048").default(50),
  /** The most a workspace's media library may hold, in MB; 0 means no limit. */
  QUOTA_LIBRARY_MB: z.coerce.number().min(0).default(0),
  SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  SIGNIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  /** Reverse proxies whose X-Forwarded-For is believed (IP addresses and CIDR ranges); none by default. */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((text, ctx) => {
      const { ranges, invalid } = parseTrustedProxies(text);
      for (const entry of invalid) {
        ctx.issues.push({ code: "custom", input: text, message: `"${entry}" is not an IP address or CIDR range (such as 10.0.0.1, 10.0.0.0/8 or fd00::/8)` });
      }
      return ranges;
    }),
});

export type Env = z.infer<typeof schema> & { storageDir: string; storage: StoreEnv; engine: "inngest" | "builtin" };

let cached: Env | undefined;

export function formatEnvIssues(error: z.ZodError) {
  // The variable's name (a list's entry is named by its variable too).
  return error.issues.map((i) => `  ${String(i.path[0] ?? "")}: ${i.message}`).join("\n");
}

type Settings = z.infer<typeof schema>;

/**
 * Some settings alone, by the same rules, for code that reads them as it is loaded: `next build`
 * loads the Inngest route without the rest of the environment (DATABASE_URL, AUTH_SECRET…).
 */
export function getEnvSettings<K extends keyof Settings>(...keys: K[]): Pick<Settings, K> {
  const mask: Partial<Record<keyof Settings, true>> = Object.fromEntries(keys.map((k) => [k, true]));
  const parsed = schema.pick(mask).safeParse(process.env);
  if (!parsed.success) throw new Error(`Aura's configuration is incomplete:\n${formatEnvIssues(parsed.error)}`);
  return parsed.data as unknown as Pick<Settings, K>;
}

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  const storage = storeEnvSchema.safeParse(process.env);
  if (!parsed.success || !storage.success) {
    const issues = [parsed.error, storage.error].flatMap((e) => (e ? [formatEnvIssues(e)] : []));
    throw new Error(`Aura's configuration is incomplete:\n${issues.join("\n")}`);
  }
  const dataDir = path.resolve(parsed.data.AURA_DATA_DIR);
  const inngest =
    parsed.data.INNGEST_DEV === "1" || Boolean(parsed.data.INNGEST_EVENT_KEY && (parsed.data.INNGEST_BASE_URL || parsed.data.INNGEST_SIGNING_KEY));
  cached = {
    ...parsed.data,
    engine: inngest ? "inngest" : "builtin",
    // turbopackIgnore: a folder from the settings, not project files for the build to trace.
    storageDir: path.resolve(/*turbopackIgnore: true*/ parsed.data.STORAGE_DIR ?? path.join(dataDir, "storage")),
    storage: storage.data,
  };
  return cached;
}
