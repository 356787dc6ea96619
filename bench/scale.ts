import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LocalStore } from "@aura/object-store";
import { benchSpec, makeBenchInputs } from "../render-worker/bench/bench-video.ts";
import { startS3Server } from "../packages/object-store/test/s3-server.ts";
import { harbourBriefInput } from "../test/helpers/briefs.ts";
import { setTestEnv } from "../test/helpers/env.ts";
import { createTestDatabase } from "../test/helpers/postgres.ts";
import { freePort, startRenderWorker } from "../test/helpers/render-worker.ts";

const root = path.resolve(import.meta.dirname, "..");
const scratch = mkdtempSync(path.join(os.tmpdir(), "aura-bench-scale-"));
const s3 = await startS3Server({ buckets: ["bench"] });
const env = setTestEnv(s3.env("bench"));
const secret = env.RENDER_WORKER_SECRET;

// 1. One render, local directory against bucket.
const localDir = path.join(scratch, "storage");
const { openStore, storeEnvSchema } = await import("@aura/object-store");
const local = new LocalStore(localDir);
const bucket = await openStore(storeEnvSchema.parse(s3.env("bench")), "/unused");
// The same inputs in the directory and in the bucket.
for (const key of makeBenchInputs(localDir)) await bucket.put(key, await local.getBuffer(key));
const spec = (tag: string) => benchSpec("standard", false, tag);

async function timeRender(workerEnv: Record<string, string>, tag: string) {
  const saved = { ...process.env };
  Object.assign(process.env, workerEnv);
  // An empty segment cache of its own each time: the full render, not a cached one.
  const worker = await startRenderWorker({ storageDir: localDir, secret, tmpDir: path.join(scratch, `tmp-${tag}`) });
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  const started = performance.now();
  const auth = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
  const submitted = await fetch(`${worker.url}/renders`, { method: "POST", headers: auth, body: JSON.stringify({ id: tag, spec: spec(tag) }) });
  if (submitted.status !== 202) throw new Error(`submit: ${submitted.status} ${await submitted.text()}`);
  for (;;) {
    const state = (await (await fetch(`${worker.url}/renders/${tag}`, { headers: auth })).json()) as { status: string; error?: string };
    if (state.status === "succeeded") break;
    if (state.status !== "running") throw new Error(`render ${tag}: ${state.status} ${state.error}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const sec = (performance.now() - started) / 1000;
  await worker.stop();
  return sec;
}

const localEnv = { STORAGE_BACKEND: "local" };
const s3Env = s3.env("bench");
const times: Record<"local" | "s3", number[]> = { local: [], s3: [] };
for (const round of [1, 2]) {
  times.local.push(await timeRender(localEnv, `local-${round}`));
  // The bucket's shared segment cache would make the second render a cached one: emptied first.
  await bucket.deletePrefix("cache/segments");
  times.s3.push(await timeRender(s3Env, `s3-${round}`));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`cores: ${os.cpus().length}`);
console.log("one render (8 scenes, 60 s, 1080p30, Standard), alternated local, S3, local, S3:");
console.log(`  local directory: ${times.local.map((t) => t.toFixed(1)).join(" s, ")} s`);
console.log(`  S3 bucket:       ${times.s3.map((t) => t.toFixed(1)).join(" s, ")} s`);
console.log(`  S3 / local: ${(mean(times.s3) / mean(times.local)).toFixed(2)}`);

// 2. Jobs per minute, one worker and two, on the bucket.
// Set before the app's code reads its settings. The app knows two worker addresses from the start; with one worker, the second address
// answers nothing and every render goes to the first.
const ports = [await freePort(), await freePort()];
process.env.RENDER_WORKER_URL = ports.map((p) => `http://127.0.0.1:${p}`).join(",");

const database = await createTestDatabase({ dataDir: path.join(root, ".data/bench"), port: 54359 });
process.env.DATABASE_URL = database.url;
const { getDb } = await import("../server/db/client.ts");
const { BuiltinEngine } = await import("../server/workflow/engine/builtin.ts");
const { WORKFLOW_FUNCTIONS } = await import("../server/workflow/video-generate.ts");
const { createVideo } = await import("../server/videos/service.ts");
const { createLogger } = await import("../server/lib/log.ts");
const { briefSchema } = await import("../server/videos/brief.ts");
const db = getDb();
const user = await db.user.create({ data: { email: "scale@example.test" } });
const ws = await db.workspace.create({ data: { name: "Scale", slug: "scale", memberships: { create: { userId: user.id, role: "owner" } } } });
const batch = Number(process.env.BENCH_BATCH ?? 6);

async function batchRun(workerCount: number) {
  const workers = [];
  for (let i = 0; i < workerCount; i++)
    workers.push(
      await startRenderWorker({ storageDir: path.join(scratch, "unused"), secret, tmpDir: path.join(scratch, `batch-${workerCount}-${i}`), port: ports[i] }),
    );
  // Renders at once across the engines: one per worker slot.
  const engine = new BuiltinEngine({
    db,
    databaseUrl: database.url,
    functions: [...WORKFLOW_FUNCTIONS],
    log: createLogger(),
    concurrency: 2 * workerCount,
    renderConcurrency: workerCount,
    workspaceConcurrency: 2 * workerCount,
    maxAttempts: 1,
  });
  await engine.start();
  const started = performance.now();
  const jobs = [];
  for (let i = 0; i < batch; i++) {
    const brief = briefSchema.parse(harbourBriefInput(`${workerCount}-${i}`));
    const { job } = await createVideo({ db, workspaceId: ws.id, userId: user.id }, brief);
    jobs.push(job);
  }
  const { requestVideoGeneration } = await import("../server/workflow/client.ts");
  for (const job of jobs) await requestVideoGeneration(job);
  for (;;) {
    const rows = await db.job.findMany({ where: { id: { in: jobs.map((j) => j.id) } }, select: { status: true, errorMessage: true } });
    const failed = rows.find((r) => r.status === "failed");
    if (failed) throw new Error(`a job failed: ${failed.errorMessage}`);
    if (rows.every((r) => r.status === "succeeded")) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const minutes = (performance.now() - started) / 60_000;
  await engine.stop();
  for (const w of workers) await w.stop();
  return { minutes, perMinute: batch / minutes };
}

const one = await batchRun(1);
const two = await batchRun(2);
console.log(`a batch of ${batch} videos (15 s, 16:9 1080p, Draft) through the whole pipeline, on the bucket:`);
console.log(`  1 worker:  ${(one.minutes * 60).toFixed(1)} s, ${one.perMinute.toFixed(2)} jobs/min`);
console.log(`  2 workers: ${(two.minutes * 60).toFixed(1)} s, ${two.perMinute.toFixed(2)} jobs/min (${(two.perMinute / one.perMinute).toFixed(2)}×)`);
await db.$disconnect();
await database.drop();
await s3.stop();
process.exit(0);
