// The whole pipeline on an S3-compatible store (s3rver on loopback): the app and the render
// worker share no directory, only the bucket. A brief becomes a video whose every byte is an
// object in the bucket; the media route answers Range requests from it; deleting the
// workspace removes its objects; a one-scene edit rendered by another worker (its own cache
// directory, its own scratch space) reuses the segments the first one left in the bucket. And
// the store's faults at start: a worker or an engine whose
// store cannot be reached stops with an error naming it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startS3Server } from "../../packages/object-store/test/s3-server.ts";
import { createTestEngine, startPipelineEnvironment } from "../helpers/pipeline.ts";
import { startRenderWorker } from "../helpers/render-worker.ts";

const s3 = await startS3Server({ buckets: ["aura-media"] });
const workerDir = mkdtempSync(path.join(os.tmpdir(), "aura-worker-own-"));
const harness = await startPipelineEnvironment({ env: s3.env("aura-media"), workerStorageDir: path.join(workerDir, "storage") });

const { getDb } = await import("../../server/db/client.ts");
const { createVideo, editScene } = await import("../../server/videos/service.ts");
const { mediaResponse } = await import("../../server/videos/media.ts");
const { deleteWorkspace } = await import("../../server/workspaces/service.ts");
const { getStore } = await import("../../server/storage/store.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");

const db = getDb();
const engine = await createTestEngine(harness.database.url, { name: "s3" });
let userId = "";
let workspaceId = "";
let videoId = "";
let jobId = "";

before(async () => {
  const user = await db.user.create({ data: { email: "s3@example.test", name: "S" } });
  const ws = await db.workspace.create({ data: { name: "Bucket team", slug: "bucket-team", memberships: { create: { userId: user.id, role: "owner" } } } });
  userId = user.id;
  workspaceId = ws.id;
});

after(async () => {
  await engine.stop();
  await closeSender();
  await db.$disconnect();
  await harness.stop();
  await s3.stop();
});

describe("on an S3-compatible store", () => {
  test("a brief becomes a video whose every byte is in the bucket; the app and the worker share no directory", { timeout: 240_000 }, async () => {
    const brief = briefSchema.parse({
      topic: "Lighthouses. They warned ships for centuries. Now most run themselves.",
      audience: "travellers",
      tone: "informative",
      targetLengthSec: 15,
      aspectRatio: "16:9",
      voice: "en-gb-male",
      visualStyle: "midnight",
      music: "calm",
    });
    const { video, job } = await createVideo({ db, workspaceId, userId }, brief);
    await engine.runJob(job.id);
    const finished = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { video: { include: { outputAsset: true } } } });
    assert.equal(finished.status, "succeeded", `${finished.errorStage}: ${finished.errorMessage}`);

    const store = await getStore();
    assert.equal(store.kind, "s3");
    // The admin's System page says which store is in use and that it answers.
    const { systemHealth } = await import("../../server/admin/service.ts");
    const health = await systemHealth({ db, userId });
    assert.deepEqual([health.storage.kind, health.storage.ok, health.storage.description], ["s3", true, `S3 bucket aura-media at ${s3.endpoint}`]);
    const keys = await store.list(`workspaces/${workspaceId}`);
    const assets = await db.asset.findMany({ where: { videoId: video.id } });
    assert.ok(assets.length >= 8, `${assets.length} assets`);
    for (const asset of assets) assert.ok(keys.includes(asset.storageKey), `${asset.kind} ${asset.storageKey} is in the bucket`);
    // Nothing went through a directory: not the app's, not the worker's; the worker's scratch is empty again.
    assert.equal(existsSync(harness.env.STORAGE_DIR) ? readdirSync(harness.env.STORAGE_DIR).length : 0, 0, "the app's STORAGE_DIR holds nothing");
    assert.equal(existsSync(path.join(workerDir, "storage")), false, "the worker's STORAGE_DIR was never created");
    assert.deepEqual(readdirSync(harness.renderTmp), []);

    // The video plays from the bucket: a ranged request answers 206 with exactly those bytes.
    const output = finished.video.outputAsset!;
    const whole = await store.getBuffer(output.storageKey);
    assert.equal(whole.length, Number(output.bytes));
    const file = path.join(workerDir, "out.mp4");
    writeFileSync(file, whole);
    const probe = spawnSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file], { encoding: "utf8" });
    assert.ok(Math.abs(Number(probe.stdout) - finished.video.durationSec!) < 0.1, probe.stderr);
    const ranged = await mediaResponse(output, new Request("http://aura.test/m", { headers: { range: "bytes=100-1123" } }));
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get("content-range"), `bytes 100-1123/${whole.length}`);
    assert.ok(Buffer.from(await ranged.arrayBuffer()).equals(whole.subarray(100, 1124)));
    const beyond = await mediaResponse(output, new Request("http://aura.test/m", { headers: { range: `bytes=${whole.length + 10}-` } }));
    assert.equal(beyond.status, 416);

    videoId = video.id;
    jobId = job.id;
  });

  test("a one-scene edit rendered by another worker takes every unchanged segment from the bucket's shared cache", { timeout: 240_000 }, async () => {
    const first = await db.jobStep.findFirstOrThrow({ where: { jobId, stepId: "encode" } });
    const firstSegments = (first.output as { segments: { total: number; cached: number } }).segments;
    const store = await getStore();
    const shared = await store.list("cache/segments");
    assert.equal(shared.filter((k) => k.endsWith(".mp4")).length, firstSegments.total, "every segment the first worker rendered is in the bucket");
    // The first worker goes; another takes its place with an empty cache directory and scratch space of its own.
    const port = Number(new URL(harness.worker.url).port);
    await harness.worker.stop();
    const otherTmp = path.join(workerDir, "other-tmp");
    const other = await startRenderWorker({ storageDir: path.join(workerDir, "storage"), secret: harness.env.RENDER_WORKER_SECRET, tmpDir: otherTmp, port });
    try {
      const video = await db.video.findUniqueOrThrow({ where: { id: videoId } });
      const middle = (video.script as { scenes: { id: string; visualPrompt: string }[] }).scenes[1]!;
      await editScene(
        { db, workspaceId },
        { videoId, sceneId: middle.id, narration: "Keepers trimmed the wicks every night.", visualPrompt: middle.visualPrompt },
      );
      await engine.runJob(jobId);
      const after = await db.job.findUniqueOrThrow({ where: { id: jobId }, include: { steps: true } });
      assert.equal(after.status, "succeeded", `${after.errorStage}: ${after.errorMessage}`);
      const segments = (after.steps.find((s) => s.stepId === "encode")!.output as { segments: { total: number; cached: number } }).segments;
      assert.equal(segments.total, firstSegments.total);
      assert.equal(segments.cached, segments.total - 3, "only the edited scene's body and its two transitions were rendered");
      assert.match(other.output(), /"msg":"segments joined".*"cached":\d+/);
    } finally {
      await other.stop();
    }
  });

  test("deleting the workspace removes its objects from the bucket", async () => {
    const store = await getStore();
    assert.ok((await store.list(`workspaces/${workspaceId}`)).length > 0);
    await deleteWorkspace({ db, workspaceId, userId, role: "owner" }, "Bucket team");
    assert.deepEqual(await store.list(`workspaces/${workspaceId}`), []);
  });

  test("a render worker whose store refuses its credentials, or cannot be reached, stops at start naming the store", async () => {
    const saved = { ...process.env };
    try {
      for (const [change, reason] of [
        [{ S3_ACCESS_KEY_ID: "WRONG", S3_SECRET_ACCESS_KEY: "WRONG" }, /refused the credentials/],
        [{ S3_ENDPOINT: "http://127.0.0.1:9" }, /S3 bucket aura-media at http:\/\/127\.0\.0\.1:9/],
        [{ S3_BUCKET: "no-such-bucket" }, /no-such-bucket/],
      ] as const) {
        Object.assign(process.env, change);
        await assert.rejects(
          startRenderWorker({ storageDir: path.join(workerDir, "x"), secret: "render-secret-0123456789", tmpDir: path.join(workerDir, "tmp") }),
          (e: Error) => /render worker exited: .*render-worker: the store cannot be used: storage \(S3 bucket/s.test(e.message) && reason.test(e.message),
        );
        Object.assign(process.env, saved);
      }
    } finally {
      Object.assign(process.env, saved);
    }
  });
});
