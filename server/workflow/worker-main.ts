// The built-in engine's process: runs video jobs from the PostgreSQL queue.
import { getDb } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { createLogger } from "../lib/log.ts";
import { BuiltinEngine } from "./engine/builtin.ts";
import { videoGenerateWorkflow } from "./video-generate.ts";

const env = getEnv();
const log = createLogger({ service: "engine" });
const engine = new BuiltinEngine({
  db: getDb(),
  databaseUrl: env.DATABASE_URL,
  workflow: videoGenerateWorkflow,
  log,
  concurrency: env.ENGINE_CONCURRENCY,
  maxAttempts: env.STEP_MAX_ATTEMPTS,
});
await engine.start();
log.info("engine started", { concurrency: env.ENGINE_CONCURRENCY });

async function shutdown(signal: string) {
  log.info("engine stopping", { signal });
  await engine.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
