// A pool of two real render workers. Renders go where there is a free slot; when the worker
// running a render is killed with SIGKILL mid-render, the render moves to the other worker
// after the failover wait and the job finishes, each render completing exactly once. The
// admin's list shows both workers, the dead one with when it last answered.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, test } from "node:test";
import { createTestEngine, startPipelineEnvironment } from "../helpers/pipeline.ts";
import { startRenderWorker } from "../helpers/render-worker.ts";

const harness = await startPipelineEnvironment({ env: { RENDER_WORKER_FAILOVER_SECONDS: "3" } });
const second = await startRenderWorker({
  storageDir: harness.env.STORAGE_DIR,
  secret: harness.env.RENDER_WORKER_SECRET,
  tmpDir: path.join(harness.env.dir, "render-tmp-2"),
});
const workers = [harness.worker, second];
process.env.RENDER_WORKER_URL = `${harness.worker.url},${second.url}`;

const { getDb } = await import("../../server/db/client.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { probeRenderWorkers } = await import("../../server/pipeline/render/workers.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");

const db = getDb();
const engine = await createTestEngine(harness.database.url, { name: "pool", concurrency: 2 });

after(async () => {
  await engine.stop();
  await closeSender();
  await db.$disconnect();
  await second.stop();
  await harness.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ffmpegOf = (jobId: string) => spawnSync("pgrep", ["-f", `render-job-${jobId}`], { encoding: "utf8" }).stdout.trim();
const rendersStarted = (output: string, jobId: string) =>
  output.split("\n").filter((l) => l.startsWith("{") && JSON.parse(l).msg === "render started" && String(JSON.parse(l).renderId).startsWith(`job-${jobId}-`))
    .length;

test("the worker running a render is killed: the render moves to the other worker and the job finishes", { timeout: 240_000 }, async () => {
  process.env.AURA_QUIET_LOGS = "0";
  const user = await db.user.create({ data: { email: "pool@example.test" } });
  const ws = await db.workspace.create({ data: { name: "P", slug: "p", memberships: { create: { userId: user.id, role: "owner" } } } });
  const brief = briefSchema.parse({
    topic: "Bridges. Romans built arches of stone. Steel let them span whole bays.",
    audience: "engineers",
    tone: "informative",
    targetLengthSec: 30,
    aspectRatio: "16:9",
    voice: "en-gb-male",
    visualStyle: "minimal",
  });
  const { job } = await createVideo({ db, workspaceId: ws.id, userId: user.id }, brief);
  await engine.start();
  const done = engine.runJob(job.id);
  // Until FFmpeg runs and the worker's log line saying so has been read.
  for (let i = 0; ffmpegOf(job.id) === "" || !workers.some((w) => rendersStarted(w.output(), job.id) === 1); i++) {
    assert.ok(i < 3000, "the render did not start");
    await sleep(20);
  }
  const running = workers.find((w) => rendersStarted(w.output(), job.id) === 1)!;
  const other = workers.find((w) => w !== running)!;
  assert.ok(running, "one worker took the render");
  await new Promise<void>((resolve) => {
    running.child.once("exit", () => resolve());
    running.child.kill("SIGKILL");
  });
  await done;
  const finished = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { video: true } });
  assert.equal(finished.status, "succeeded", `${finished.errorStage}: ${finished.errorMessage}`);
  assert.equal(rendersStarted(other.output(), job.id), 1, "the other worker rendered it once");
  const completed = workers.map(
    (w) =>
      w
        .output()
        .split("\n")
        .filter((l) => l.includes('"msg":"render succeeded"') && l.includes(`job-${job.id}-`)).length,
  );
  assert.deepEqual(completed.sort(), [0, 1], "the render completed exactly once");
  const moved = await db.jobEvent.findMany({ where: { jobId: job.id, type: "stage.progress" }, select: { payload: true } });
  assert.ok(
    moved.some((e) => /^waiting for a render worker \(ECONNREFUSED/.test(String((e.payload as { message?: string }).message))),
    "the job page said it was waiting",
  );

  const listed = await probeRenderWorkers(db);
  assert.deepEqual(
    listed.map((w) => [w.url, w.ok]),
    workers.map((w) => [w.url, w !== running]),
  );
});
