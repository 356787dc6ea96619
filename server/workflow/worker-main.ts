// The built-in engine's process: runs the workflow functions from the PostgreSQL queues,
// the scheduled cleanup and the provider health probe.
import { getDb } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { createLogger } from "../lib/log.ts";
import { probeAllSettings, PROVIDER_HEALTH_CRON } from "../providers/settings.ts";
import { deliverDueWebhooks } from "../webhooks/service.ts";
import { CLEANUP_CRON, removeOrphanStaging, runCleanup } from "./cleanup.ts";
import { BuiltinEngine } from "./engine/builtin.ts";
import { CLEANUP_QUEUE, PROVIDER_HEALTH_QUEUE } from "./queue.ts";
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
  schedules: [
    { queue: CLEANUP_QUEUE, cron: CLEANUP_CRON, run: () => runCleanup(getDb(), { retentionDays: env.JOB_RETENTION_DAYS, storageDir: env.storageDir }) },
    { queue: PROVIDER_HEALTH_QUEUE, cron: PROVIDER_HEALTH_CRON, run: () => probeAllSettings(getDb()) },
  ],
});
await engine.start();
// Webhook deliveries: sent as they fall due (new ones are also tried at once when queued).
const webhookLoop = setInterval(() => void deliverDueWebhooks(getDb()).catch((error) => log.error("webhook delivery loop failed", { error: (error as Error).message })), 2000);
// What a killed process left half-written in storage goes at once, not at the next cleanup.
await removeOrphanStaging(env.storageDir);
log.info("engine started", { concurrency: env.ENGINE_CONCURRENCY, renderConcurrency: env.RENDER_CONCURRENCY, workspaceConcurrency: env.WORKSPACE_CONCURRENCY });

async function shutdown(signal: string) {
  log.info("engine stopping", { signal });
  clearInterval(webhookLoop);
  await engine.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
