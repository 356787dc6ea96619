// Everything the video workflow needs outside the engine, for tests and benchmarks: the
// environment, a fresh migrated database and a render-worker process. Call before importing
// server code, which reads the environment once.
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { setTestEnv } from "./env.ts";
import { createTestDatabase } from "./postgres.ts";
import type { Brief } from "../../server/videos/brief.ts";
import { startRenderWorker } from "./render-worker.ts";

/** `env`: more settings (an S3 store's); `workerStorageDir`: the worker's own STORAGE_DIR
 *  (by default the app's: one shared directory, as on the embedded default). */
export async function startPipelineEnvironment(
  options: Parameters<typeof createTestDatabase>[0] & { env?: Record<string, string>; workerStorageDir?: string } = {},
) {
  const env = setTestEnv(options.env ?? {});
  const renderTmp = path.join(env.dir, "render-tmp");
  mkdirSync(renderTmp, { recursive: true });
  const database = await createTestDatabase(options);
  process.env.DATABASE_URL = database.url;
  const worker = await startRenderWorker({ storageDir: options.workerStorageDir ?? env.STORAGE_DIR, secret: env.RENDER_WORKER_SECRET, tmpDir: renderTmp });
  process.env.RENDER_WORKER_URL = worker.url;
  return {
    env,
    database,
    worker,
    renderTmp,
    async stop() {
      await worker.stop();
      await database.drop();
      rmSync(env.dir, { recursive: true, force: true });
    },
  };
}

/** The built-in engine with the video workflow, on the harness's database, as the tests run it:
 *  retries with a short backoff. Import after startPipelineEnvironment (it reads the settings). */
export async function createTestEngine(databaseUrl: string, options: { name: string; concurrency?: number }) {
  const { getDb } = await import("../../server/db/client.ts");
  const { BuiltinEngine } = await import("../../server/workflow/engine/builtin.ts");
  const { WORKFLOW_FUNCTIONS } = await import("../../server/workflow/video-generate.ts");
  const { createLogger } = await import("../../server/lib/log.ts");
  return new BuiltinEngine({
    db: getDb(),
    databaseUrl,
    functions: [...WORKFLOW_FUNCTIONS],
    log: createLogger({ test: options.name }),
    concurrency: options.concurrency ?? 1,
    maxAttempts: 2,
    backoffMs: 10,
  });
}

/** Makes a video of the brief and runs its job on a fresh test engine until it ends (checked
 *  every 100 ms, at most `polls` times): the job with its steps and its video. */
export async function runBriefToEnd(databaseUrl: string, options: { name: string; workspaceId: string; userId: string; brief: Brief; polls: number }) {
  const { getDb } = await import("../../server/db/client.ts");
  const { createVideo } = await import("../../server/videos/service.ts");
  const db = getDb();
  const engine = await createTestEngine(databaseUrl, { name: options.name });
  await engine.start();
  try {
    const { job } = await createVideo({ db, workspaceId: options.workspaceId, userId: options.userId }, options.brief);
    await engine.enqueue(job.id);
    let status = "queued";
    for (let i = 0; i < options.polls && !["succeeded", "failed"].includes(status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await db.job.findUniqueOrThrow({ where: { id: job.id } })).status;
    }
    return await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true, video: true } });
  } finally {
    await engine.stop();
  }
}
