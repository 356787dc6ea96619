// Starts the render worker from environment variables.
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { createLogger } from "./log.ts";
import { checkMusicTools, DEFAULT_SOUND_FONT } from "./music/bed.ts";
import { bestEncoder, detectCuda, detectEncoders } from "./encoders.ts";
import { sweepOrphans } from "./renders/orphan-sweep.ts";
import { RenderManager } from "./renders/registry.ts";
import { createServer } from "./server.ts";
import { WorkerStorage } from "./storage.ts";
import { openStore, storeEnvSchema } from "@aura/object-store";

const env = z
  .object({
    RENDER_WORKER_SECRET: z.string().min(16, "RENDER_WORKER_SECRET must be at least 16 characters"),
    RENDER_WORKER_PORT: z.coerce.number().int().min(1).max(65535).default(4100),
    RENDER_WORKER_HOST: z.string().default("127.0.0.1"),
    /** The local store's directory (STORAGE_BACKEND=local, the default); unused with a bucket. */
    STORAGE_DIR: z.string().min(1).optional(),
    RENDER_TMP_DIR: z.string().default(path.join(os.tmpdir(), "aura-render")),
    RENDER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    RENDER_TIMEOUT_SEC: z.coerce.number().int().min(10).default(3600),
    /** A render no app has asked about for this long is cancelled (0: never); shorter than the app's RENDER_WORKER_FAILOVER_SECONDS. */
    RENDER_LEASE_SECONDS: z.coerce.number().min(0).default(60),
    RENDER_CACHE_DIR: z.string().default(path.join(os.tmpdir(), "aura-render-cache")),
    RENDER_CACHE_MAX_MB: z.coerce.number().int().min(0).default(4096),
    /** FFmpeg processes at once within one render (segments). */
    RENDER_PARALLEL: z.coerce.number().int().min(1).max(64).default(Math.max(1, os.availableParallelism())),
    /** Generated music is composed and played by fluidsynth with this General MIDI sound font;
     *  without either, the worker plays a held chord instead (and says so in each result). */
    FLUIDSYNTH_BINARY: z.string().min(1).default("fluidsynth"),
    MUSIC_SOUND_FONT: z.string().min(1).default(DEFAULT_SOUND_FONT),
    /** "auto": the best encoder that passes a trial encode; or force one (falls back to libx264 if it fails). */
    RENDER_ENCODER: z.enum(["auto", "libx264", "libx265", "h264_nvenc", "h264_qsv", "h264_vaapi", "h264_amf"]).default("auto"),
  })
  .safeParse(process.env);

const storeEnv = storeEnvSchema.safeParse(process.env);
const issues = [...(env.error?.issues ?? []), ...(storeEnv.error?.issues ?? [])].map((i) => `${i.path.join(".")}: ${i.message}`);
if (storeEnv.data?.STORAGE_BACKEND === "local" && !process.env.STORAGE_DIR)
  issues.push("STORAGE_DIR: must name the shared storage directory (or set STORAGE_BACKEND=s3 and the bucket)");
if (!env.success || !storeEnv.success || issues.length) {
  for (const issue of issues) console.error(`render-worker: ${issue}`);
  process.exit(1);
}
const config = env.data;
const log = createLogger({ service: "render-worker" });
mkdirSync(config.RENDER_TMP_DIR, { recursive: true });
const store = await openStore(storeEnv.data, path.resolve(config.STORAGE_DIR ?? "."));
try {
  await store.check();
} catch (error) {
  console.error(`render-worker: the store cannot be used: ${(error as Error).message}`);
  process.exit(1);
}
log.info("store", { store: store.description });

await sweepOrphans(config.RENDER_TMP_DIR, log);
// Trial-encode at start, so the first render does not wait for it.
void Promise.all([detectEncoders(), detectCuda()]).then(([reports, cuda]) =>
  log.info("encoders detected", { working: reports.filter((r) => r.works).map((r) => r.name), cuda: cuda.works }),
);
const renders = new RenderManager({
  storage: new WorkerStorage(store),
  tmpDir: config.RENDER_TMP_DIR,
  maxConcurrent: config.RENDER_CONCURRENCY,
  timeoutMs: config.RENDER_TIMEOUT_SEC * 1000,
  log,
  // RENDER_CACHE_MAX_MB=0 turns segments and their cache off: one FFmpeg run per render.
  cacheDir: config.RENDER_CACHE_MAX_MB > 0 ? config.RENDER_CACHE_DIR : undefined,
  cacheMaxBytes: config.RENDER_CACHE_MAX_MB * 1024 * 1024,
  parallel: config.RENDER_PARALLEL,
  leaseMs: config.RENDER_LEASE_SECONDS * 1000,
  chooseEncoder: () => (config.RENDER_ENCODER === "auto" ? bestEncoder() : Promise.resolve(config.RENDER_ENCODER)),
  cuda: async () => (await detectCuda()).works,
  music: { fluidsynth: config.FLUIDSYNTH_BINARY, soundFont: config.MUSIC_SOUND_FONT },
});
const musicMissing = await checkMusicTools({ fluidsynth: config.FLUIDSYNTH_BINARY, soundFont: config.MUSIC_SOUND_FONT, cacheDir: null });
if (musicMissing) log.warn("generated music will be a held chord", { reason: musicMissing });
const server = createServer({ secret: config.RENDER_WORKER_SECRET, renders, maxConcurrent: config.RENDER_CONCURRENCY });
server.listen(config.RENDER_WORKER_PORT, config.RENDER_WORKER_HOST, () => {
  log.info("listening", { host: config.RENDER_WORKER_HOST, port: config.RENDER_WORKER_PORT });
});

async function shutdown(signal: string) {
  log.info("shutting down", { signal });
  server.close();
  await renders.cancelAll();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
