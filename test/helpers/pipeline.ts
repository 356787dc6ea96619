// Everything the video workflow needs outside the engine, for tests and benchmarks: the
// environment, a fresh migrated database and a render-worker process. Call before importing
// server code, which reads the environment once.
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { setTestEnv } from "./env.ts";
import { createTestDatabase } from "./postgres.ts";
import { startRenderWorker } from "./render-worker.ts";

export async function startPipelineEnvironment(options: Parameters<typeof createTestDatabase>[0] = {}) {
  const env = setTestEnv({});
  const renderTmp = path.join(env.dir, "render-tmp");
  mkdirSync(renderTmp, { recursive: true });
  const database = await createTestDatabase(options);
  process.env.DATABASE_URL = database.url;
  const worker = await startRenderWorker({ storageDir: env.STORAGE_DIR, secret: env.RENDER_WORKER_SECRET, tmpDir: renderTmp });
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
