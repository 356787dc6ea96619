// Starts the render worker from environment variables.
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { createLogger } from "./log.ts";
import { bestEncoder, detectCuda, detectEncoders } from "./encoders.ts";
import { sweepOrphans } from "./renders/orphan-sweep.ts";
import { RenderManager } from "./renders/registry.ts";
import { createServer } from "./server.ts";
import { LocalStorage } from "./storage.ts";

const env = z
  .object({
    RENDER_WORKER_SECRET: z.string().min(16, "RENDER_WORKER_SECRET must be at least 16 characters"),
    RENDER_WORKER_PORT: z.coerce.number().int().min(1).max(65535).default(4100),
    RENDER_WORKER_HOST: z.string().default("127.0.0.1"),
    STORAGE_DIR: z.string().min(1, "STORAGE_DIR must name the shared storage directory"),
    RENDER_TMP_DIR: z.string().default(path.join(os.tmpdir(), "aura-render")),
    RENDER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    RENDER_TIMEOUT_SEC: z.coerce.number().int().min(10).default(3600),
    RENDER_CACHE_DIR: z.string().default(path.join(os.tmpdir(), "aura-render-cache")),
    RENDER_CACHE_MAX_MB: z.coerce.number().int().min(0).default(4096),
    /** FFmpeg processes at once within one render (segments). */
    RENDER_PARALLEL: z.coerce.number().int().min(1).max(64).default(Math.max(1, os.availableParallelism())),
    /** "auto": the best encoder that passes a trial encode; or force one (falls back to libx264 if it fails). */
    RENDER_ENCODER: z.enum(["auto", "libx264", "libx265", "h264_nvenc", "h264_qsv", "h264_vaapi", "h264_amf"]).default("auto"),
  })
  .safeParse(process.env);

if (!env.success) {
  for (const issue of env.error.issues) console.error(`render-worker: ${issue.path.join(".")}: ${issue.message}`);
  process.exit(1);
}
const config = env.data;
const log = createLogger({ service: "render-worker" });
mkdirSync(config.RENDER_TMP_DIR, { recursive: true });
mkdirSync(config.STORAGE_DIR, { recursive: true });

await sweepOrphans(config.RENDER_TMP_DIR, log);
// Trial-encode at start, so the first render does not wait for it.
void Promise.all([detectEncoders(), detectCuda()]).then(([reports, cuda]) =>
  log.info("encoders detected", { working: reports.filter((r) => r.works).map((r) => r.name), cuda: cuda.works }),
);
const renders = new RenderManager({
  storage: new LocalStorage(path.resolve(config.STORAGE_DIR)),
  tmpDir: config.RENDER_TMP_DIR,
  maxConcurrent: config.RENDER_CONCURRENCY,
  timeoutMs: config.RENDER_TIMEOUT_SEC * 1000,
  log,
  // RENDER_CACHE_MAX_MB=0 turns segments and their cache off: one FFmpeg run per render.
  cacheDir: config.RENDER_CACHE_MAX_MB > 0 ? config.RENDER_CACHE_DIR : undefined,
  cacheMaxBytes: config.RENDER_CACHE_MAX_MB * 1024 * 1024,
  parallel: config.RENDER_PARALLEL,
  chooseEncoder: () => (config.RENDER_ENCODER === "auto" ? bestEncoder() : Promise.resolve(config.RENDER_ENCODER)),
  cuda: async () => (await detectCuda()).works,
});
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
