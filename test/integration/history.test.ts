// Job history upkeep and telemetry against the real PostgreSQL: the scheduled cleanup keeps
// every kept video and the history's outline while removing what is past retention, and
// /api/metrics reports jobs, stage durations, queue depth, render speed and provider
// failures, behind its token.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";

const env = setTestEnv({ METRICS_TOKEN: "metrics-token-0123456789" });
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;
const { getDb } = await import("../../server/db/client.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { runCleanup } = await import("../../server/workflow/cleanup.ts");
const { appendJobEvent } = await import("../../server/workflow/events.ts");
const { GET } = await import("../../app/api/metrics/route.ts");

const db = getDb();
let workspaceId = "";
let userId = "";
const brief = briefSchema.parse({
  topic: "History",
  audience: "tests",
  tone: "serious",
  targetLengthSec: 15,
  aspectRatio: "16:9",
  voice: "en-us-male",
  visualStyle: "minimal",
});
const daysAgo = (n: number) => new Date(Date.now() - n * 86400_000);

before(async () => {
  ({ userId, workspaceId } = await createOwner(db, "history"));
});
after(async () => {
  await db.$disconnect();
  await database.drop();
});

/** A finished job with one step, an attempt, events and a narration file, all `age` days old. */
async function finishedJob(status: "succeeded" | "failed", age: number) {
  const { video, job } = await createVideo({ db, workspaceId, userId }, brief);
  const key = `workspaces/${workspaceId}/videos/${video.id}/narration/scene-1.wav`;
  mkdirSync(path.dirname(path.join(env.STORAGE_DIR, key)), { recursive: true });
  writeFileSync(path.join(env.STORAGE_DIR, key), "RIFF");
  const narration = await db.asset.create({
    data: { workspaceId, videoId: video.id, jobId: job.id, kind: "narration", storageKey: key, sha256: "x", bytes: 4n, mimeType: "audio/wav" },
  });
  let output = null;
  if (status === "succeeded") {
    output = await db.asset.create({
      data: {
        workspaceId,
        videoId: video.id,
        jobId: job.id,
        kind: "video",
        storageKey: `workspaces/${workspaceId}/videos/${video.id}/output/${job.id}.mp4`,
        sha256: "y",
        bytes: 9n,
        mimeType: "video/mp4",
      },
    });
  }
  await db.video.update({ where: { id: video.id }, data: { status: status === "succeeded" ? "ready" : "failed", outputAssetId: output?.id ?? null } });
  await appendJobEvent(db, job.id, "step.succeeded", { stage: "narration", stepId: "narration-1" });
  await appendJobEvent(db, job.id, status === "succeeded" ? "job.succeeded" : "job.failed", {});
  await db.job.update({ where: { id: job.id }, data: { status, finishedAt: daysAgo(age) } });
  await db.jobEvent.updateMany({ where: { jobId: job.id }, data: { createdAt: daysAgo(age) } });
  await db.$executeRaw`UPDATE "Video" SET "updatedAt" = ${daysAgo(age)} WHERE id = ${video.id}`;
  return { video, job, narration, key };
}

describe("job history", () => {
  test("cleanup removes old events and the scene media of failed jobs, never a kept video or the job outline", async () => {
    const oldFailed = await finishedJob("failed", 40);
    const oldReady = await finishedJob("succeeded", 40);
    const recentFailed = await finishedJob("failed", 2);
    // Staging files: one from a writer that is gone, one from this (live) process.
    const dir = path.join(env.STORAGE_DIR, "workspaces", workspaceId);
    const dead = path.join(dir, "x.json.partial-999999-abc");
    const live = path.join(dir, `y.json.partial-${process.pid}-def`);
    writeFileSync(dead, "{");
    writeFileSync(live, "{");
    const old = path.join(dir, `z.json.partial-${process.pid}-old`);
    writeFileSync(old, "{");
    utimesSync(old, daysAgo(1), daysAgo(1));

    // Shared segments: one with its record unwritten for 20 days, one fresh.
    const segments = path.join(env.STORAGE_DIR, "cache/segments");
    mkdirSync(segments, { recursive: true });
    for (const name of ["stale.mp4", "stale.mp4.json", "fresh.mp4", "fresh.mp4.json"]) writeFileSync(path.join(segments, name), "x");
    for (const name of ["stale.mp4", "stale.mp4.json"]) utimesSync(path.join(segments, name), daysAgo(20), daysAgo(20));

    const result = await runCleanup(db, { retentionDays: 30, segmentDays: 14 });
    assert.deepEqual(result, { events: 2, assets: 1, stagingFiles: 2, cachedSegments: 1 });
    assert.deepEqual(readdirSync(segments).sort(), ["fresh.mp4", "fresh.mp4.json"]);

    const types = async (jobId: string) => (await db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" } })).map((e) => e.type);
    assert.deepEqual(await types(oldFailed.job.id), ["job.queued", "job.failed"], "lifecycle events stay");
    assert.deepEqual(await types(oldReady.job.id), ["job.queued", "job.succeeded"]);
    assert.deepEqual(await types(recentFailed.job.id), ["job.queued", "step.succeeded", "job.failed"], "recent events stay");

    assert.equal(await db.asset.count({ where: { id: oldFailed.narration.id } }), 0);
    assert.equal(existsSync(path.join(env.STORAGE_DIR, oldFailed.key)), false);
    assert.equal(await db.asset.count({ where: { videoId: oldReady.video.id } }), 2, "a ready video keeps its output and its scene media");
    assert.equal(existsSync(path.join(env.STORAGE_DIR, oldReady.key)), true);
    assert.equal(await db.asset.count({ where: { id: recentFailed.narration.id } }), 1);
    assert.equal(existsSync(dead), false);
    assert.equal(existsSync(old), false);
    assert.equal(existsSync(live), true, "a live writer's fresh staging file stays");
  });

  test("/api/metrics: jobs by status, stage duration histogram, render speed, provider failures; token required", async () => {
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    const step = await db.jobStep.create({
      data: {
        jobId: job.id,
        stepId: "encode",
        stage: "render",
        status: "succeeded",
        attempts: 2,
        output: { durationSec: 30, renderSec: 20 },
        finishedAt: new Date(),
      },
    });
    const started = new Date();
    await db.jobStepAttempt.createMany({
      data: [
        {
          jobStepId: step.id,
          jobId: job.id,
          stepId: "encode",
          stage: "render",
          attempt: 1,
          status: "failed",
          provider: "render-worker",
          error: "503",
          startedAt: started,
          durationMs: 300,
        },
        {
          jobStepId: step.id,
          jobId: job.id,
          stepId: "encode",
          stage: "render",
          attempt: 2,
          status: "succeeded",
          provider: "render-worker:libx264",
          startedAt: started,
          durationMs: 20_000,
        },
        { jobStepId: step.id, jobId: job.id, stepId: "encode", stage: "script", attempt: 1, status: "succeeded", startedAt: started, durationMs: 400 },
      ],
    });

    assert.equal((await GET(new Request("http://x/api/metrics"))).status, 401);
    assert.equal((await GET(new Request("http://x/api/metrics", { headers: { authorization: "Bearer wrong-token-0123456789" } }))).status, 401);
    const res = await GET(new Request("http://x/api/metrics", { headers: { authorization: "Bearer metrics-token-0123456789" } }));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
    const text = await res.text();
    const value = (series: string) => {
      const line = text.split("\n").find((l) => l.startsWith(`${series} `));
      assert.ok(line, `missing ${series}`);
      return Number(line.split(" ")[1]);
    };
    const jobsByStatus = await db.job.groupBy({ by: ["status"], _count: { _all: true } });
    for (const { status, _count } of jobsByStatus) assert.equal(value(`aura_jobs{status="${status}"}`), _count._all);
    assert.equal(value('aura_jobs{status="expired"}'), 0);
    assert.equal(value('aura_stage_duration_seconds_bucket{stage="render",le="10"}'), 0);
    assert.equal(value('aura_stage_duration_seconds_bucket{stage="render",le="30"}'), 1);
    assert.equal(value('aura_stage_duration_seconds_bucket{stage="render",le="+Inf"}'), 1);
    assert.equal(value('aura_stage_duration_seconds_sum{stage="render"}'), 20);
    assert.equal(value('aura_stage_duration_seconds_bucket{stage="script",le="0.5"}'), 1);
    assert.equal(value('aura_provider_failures_total{provider="render-worker",stage="render"}'), 1);
    assert.equal(value('aura_step_attempts_total{stage="render",status="failed"}'), 1);
    assert.equal(value("aura_render_speed_ratio"), 1.5);
    assert.equal(value("aura_rendered_video_seconds_total"), 30);
  });
});
