// The built-in engine's process: runs the workflow functions from the PostgreSQL queues,
// and the scheduled jobs (the cleanup, the provider health probe, webhook deliveries).
import { getDb } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { createLogger } from "../lib/log.ts";
import { LocalStore } from "@aura/object-store";
import { getStore } from "../storage/store.ts";
import { removeOrphanStaging } from "./cleanup.ts";
import { BuiltinEngine } from "./engine/builtin.ts";
import { SCHEDULES } from "./schedules.ts";
import { WORKFLOW_FUNCTIONS } from "./video-generate.ts";

const env = getEnv();
const log = createLogger({ service: "engine" });
const engine = new BuiltinEngine({
  db: getDb(),
  databaseUrl: env.DATABASE_URL,
  functions: [...WORKFLOW_FUNCTIONS],
  log,
  concurrency: env.ENGINE_CONCURRENCY,
  renderConcurrency: env.RENDER_CONCURRENCY,
  workspaceConcurrency: env.WORKSPACE_CONCURRENCY,
  stepConcurrency: env.STEP_CONCURRENCY,
  maxAttempts: env.STEP_MAX_ATTEMPTS,
  schedules: SCHEDULES,
});
await engine.start();
// The store must be reachable before any job runs: a clear error naming it, not a failed job.
const store = await getStore();
await store.check();
// What a killed process left half-written in a local store goes at once, not at the next cleanup.
if (store instanceof LocalStore) await removeOrphanStaging(store.root);
log.info("engine started", { concurrency: env.ENGINE_CONCURRENCY, renderConcurrency: env.RENDER_CONCURRENCY, workspaceConcurrency: env.WORKSPACE_CONCURRENCY });

async function shutdown(signal: string) {
  log.info("engine stopping", { signal });
  await engine.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
