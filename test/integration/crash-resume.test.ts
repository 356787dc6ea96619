// Crash-resume with real processes: the engine process is killed with SIGKILL once in every
// stage (and the render worker too, mid-render), then started again. The job must finish,
// no finished step may run again (each has exactly one successful attempt), and nothing may
// be left behind: no FFmpeg process, no temp directory, no staging file.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { startPipelineEnvironment } from "../helpers/pipeline.ts";
import { startRenderWorker } from "../helpers/render-worker.ts";

const root = path.resolve(import.meta.dirname, "../..");
const harness = await startPipelineEnvironment();
const { getDb } = await import("../../server/db/client.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { requestVideoGeneration, closeSender } = await import("../../server/workflow/client.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const db = getDb();

let engine: ChildProcess | null = null;
let engineLogs = "";
let worker = harness.worker;
const workerPort = Number(new URL(harness.worker.url).port);

async function startEngine() {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "server/workflow/worker-main.ts")], {
    env: { ...process.env, AURA_QUIET_LOGS: "0", STEP_MAX_ATTEMPTS: "5" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      engineLogs += chunk;
      if (output.includes('"msg":"engine started"')) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c) => (output += c));
    child.once("exit", (code) => reject(new Error(`engine exited with ${code}: ${output}`)));
  });
  child.removeAllListeners("exit");
  return child;
}

function kill9(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ffmpegOf = (jobId: string) => spawnSync("pgrep", ["-f", `render-job-${jobId}`], { encoding: "utf8" }).stdout.trim();

after(async () => {
  if (engine) await kill9(engine);
  await closeSender();
  await db.$disconnect();
  await worker.stop();
  await harness.stop();
});

test("SIGKILL of the engine in every stage, and of the render worker mid-render: the job resumes from its checkpoints and finishes", {
  timeout: 300_000,
}, async () => {
  const user = await db.user.create({ data: { email: "crash@example.test" } });
  const ws = await db.workspace.create({ data: { name: "C", slug: "c", memberships: { create: { userId: user.id, role: "owner" } } } });
  const brief = briefSchema.parse({
    topic: "Lighthouses. They warned ships for centuries. Keepers lived in them. Now most run themselves.",
    audience: "travellers",
    tone: "informative",
    targetLengthSec: 45,
    aspectRatio: "16:9",
    voice: "en-gb-male",
    visualStyle: "midnight",
  });
  const { video, job } = await createVideo({ db, workspaceId: ws.id, userId: user.id }, brief);
  engine = await startEngine();
  await requestVideoGeneration(job);

  const killedIn: string[] = [];
  for (const stage of ["script", "narration", "visuals", "timeline", "render"]) {
    // Wait for the stage to begin (for the render: for FFmpeg to be encoding).
    const type = stage === "render" ? "stage.progress" : "step.started";
    for (let i = 0; ; i++) {
      const events = await db.jobEvent.findMany({ where: { jobId: job.id, type }, select: { payload: true } });
      const begun = events.some((e) => (e.payload as { stage?: string }).stage === stage);
      // A render's first progress report can come before FFmpeg starts: wait for FFmpeg itself.
      if (begun && (stage !== "render" || ffmpegOf(job.id) !== "")) break;
      const current = await db.job.findUniqueOrThrow({ where: { id: job.id } });
      assert.ok(!["failed", "cancelled", "succeeded"].includes(current.status), `job ended ${current.status} before ${stage}: ${current.errorMessage}`);
      assert.ok(i < 3000, `stage ${stage} did not start`);
      await sleep(10);
    }
    await kill9(engine);
    if (stage === "render") {
      assert.notEqual(ffmpegOf(job.id), "", "FFmpeg was rendering");
      await kill9(worker.child);
      process.env.AURA_QUIET_LOGS = "0"; // the new worker's logs are checked below
      worker = await startRenderWorker({
        storageDir: harness.env.STORAGE_DIR,
        secret: harness.env.RENDER_WORKER_SECRET,
        tmpDir: harness.renderTmp,
        port: workerPort,
      });
      // The new worker stopped the FFmpeg the killed one left and removed its directory.
      assert.equal(ffmpegOf(job.id), "", "no FFmpeg is left running");
      assert.deepEqual(readdirSync(harness.renderTmp), []);
    }
    killedIn.push(stage);
    engine = await startEngine();
  }
  assert.deepEqual(killedIn, ["script", "narration", "visuals", "timeline", "render"]);

  const findJob = () => db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true, video: true } });
  let finished: Awaited<ReturnType<typeof findJob>>;
  for (let i = 0; ; i++) {
    finished = await findJob();
    if (["succeeded", "failed", "cancelled"].includes(finished.status)) break;
    assert.ok(i < 1500, "the job did not finish after the restarts");
    await sleep(100);
  }
  assert.equal(finished.status, "succeeded", `${finished.errorStage}: ${finished.errorMessage}`);
  assert.equal(finished.video.status, "ready");
  assert.ok(finished.attempts >= 2, "resumes are counted on the job");

  // Every step succeeded exactly once: none that had finished ran again after a crash.
  const attempts = await db.jobStepAttempt.findMany({ where: { jobId: job.id } });
  for (const step of finished.steps) {
    assert.equal(step.status, "succeeded", step.stepId);
    if (step.stepId === "render") continue; // the invocation: its work is the "encode" step
    const ok = attempts.filter((a) => a.stepId === step.stepId && a.status === "succeeded");
    assert.equal(ok.length, 1, `${step.stepId} succeeded ${ok.length} times`);
  }
  // The render was interrupted mid-encode and shows that in its history.
  const encode = attempts.filter((a) => a.stepId === "encode");
  assert.ok(encode.length >= 2, "the interrupted render ran again");
  assert.ok(
    encode.some((a) => a.status === "failed"),
    "the interrupted attempt is recorded",
  );
  const resumed = await db.jobEvent.count({ where: { jobId: job.id, type: "job.resumed" } });
  assert.ok(resumed >= 1);

  const output = await db.asset.findUniqueOrThrow({ where: { id: video.outputAssetId ?? finished.video.outputAssetId! } });
  const probe = spawnSync(
    "ffprobe",
    ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path.join(harness.env.STORAGE_DIR, output.storageKey)],
    { encoding: "utf8" },
  );
  assert.equal(probe.status, 0);
  assert.ok(Number(probe.stdout) > 20);

  // The job's correlation id runs through the structured logs of the engine and the worker.
  const logged = (text: string) => text.split("\n").filter((l) => l.startsWith("{") && JSON.parse(l).correlationId === job.correlationId);
  assert.ok(logged(engineLogs).length > 0, "the engine logs carry the correlation id");
  assert.ok(
    logged(worker.output()).some((l) => JSON.parse(l).msg === "render started"),
    "the render worker logs carry the correlation id",
  );

  assert.equal(ffmpegOf(job.id), "");
  assert.deepEqual(readdirSync(harness.renderTmp), []);
  const staging = spawnSync("find", [harness.env.STORAGE_DIR, "-name", "*.partial-*"], { encoding: "utf8" }).stdout.trim();
  assert.equal(staging, "", "no staging file is left in storage");
});

test("a render worker gone for 30 s mid-render (a container restart) is waited for: the job page says so and the job finishes", {
  timeout: 240_000,
}, async () => {
  const user = await db.user.create({ data: { email: "restart@example.test" } });
  const ws = await db.workspace.create({ data: { name: "R", slug: "r", memberships: { create: { userId: user.id, role: "owner" } } } });
  const brief = briefSchema.parse({
    topic: "Tides. The moon pulls the oceans. Twice a day the water rises and falls along every coast.",
    audience: "students",
    tone: "informative",
    targetLengthSec: 30,
    aspectRatio: "16:9",
    voice: "en-gb-male",
    visualStyle: "midnight",
  });
  const { job } = await createVideo({ db, workspaceId: ws.id, userId: user.id }, brief);
  engine ??= await startEngine();
  await requestVideoGeneration(job);
  for (let i = 0; ffmpegOf(job.id) === ""; i++) {
    assert.ok(i < 3000, "the render did not start");
    await sleep(20);
  }
  await kill9(worker.child);
  const stoppedAt = Date.now();
  // Past the old failure (one retry within a second), with the job still running and saying why.
  await sleep(30_000);
  const during = await db.job.findUniqueOrThrow({ where: { id: job.id } });
  assert.equal(during.status, "running", `${during.errorStage}: ${during.errorMessage}`);
  const notes = await db.jobEvent.findMany({
    where: { jobId: job.id, type: "stage.progress", createdAt: { gt: new Date(stoppedAt) } },
    select: { payload: true },
  });
  const waiting = notes.map((n) => String((n.payload as { message?: string }).message)).filter((m) => m.startsWith("waiting for a render worker"));
  assert.ok(waiting.length > 0, `the job page was told: ${notes.map((n) => JSON.stringify(n.payload)).join("\n")}`);
  assert.match(waiting.at(-1)!, /ECONNREFUSED/);

  worker = await startRenderWorker({
    storageDir: harness.env.STORAGE_DIR,
    secret: harness.env.RENDER_WORKER_SECRET,
    tmpDir: harness.renderTmp,
    port: workerPort,
  });
  for (let i = 0; ; i++) {
    const current = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    if (current.status === "succeeded") break;
    assert.ok(!["failed", "cancelled"].includes(current.status), `${current.errorStage}: ${current.errorMessage}`);
    assert.ok(i < 1200, "the job did not finish after the worker came back");
    await sleep(100);
  }
});
