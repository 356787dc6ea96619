// Editing without dead ends, on the real workflow (offline chain, real PostgreSQL, voices and
// render worker): a job that ended without a video has a scene edited, is retried from its
// failed step and succeeds with the edit, reusing the rest; a changed visual prompt draws a new
// picture on the built-in provider too; and the review gate refuses, by its number, a scene
// with nothing to say aloud (through tRPC, the only API with Approve).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { TRPCError } from "@trpc/server";
import type { ZodError } from "zod";
import { createTestEngine, startPipelineEnvironment } from "../helpers/pipeline.ts";
import { createOwner } from "../helpers/seed.ts";
import { callerFactory } from "../helpers/trpc.ts";

const harness = await startPipelineEnvironment();
const { getDb } = await import("../../server/db/client.ts");
const { createVideo, editScene, retryJob } = await import("../../server/videos/service.ts");
const { briefSchema, fieldErrors } = await import("../../server/videos/brief.ts");
const { scriptSchema } = await import("../../server/pipeline/script/types.ts");
const { foldJobEvents } = await import("../../app/_components/job-state.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { LocalStore } = await import("@aura/object-store");
const storagePath = (key: string) => new LocalStore(harness.env.STORAGE_DIR).localPath(key);
const sha = (key: string) =>
  createHash("sha256")
    .update(readFileSync(storagePath(key)))
    .digest("hex");

const db = getDb();
const engine = await createTestEngine(harness.database.url, { name: "edit-retry" });
let owner = { userId: "", workspaceId: "" };

before(async () => {
  owner = await createOwner(db, "editretry");
});
after(async () => {
  await engine.stop();
  await closeSender();
  await db.$disconnect();
  await harness.stop();
});

const brief = (over: Record<string, unknown> = {}) =>
  briefSchema.parse({
    topic: "How lighthouses guide ships. Their lamps turn at night. Each light flashes its own pattern.",
    audience: "sailors",
    tone: "informative",
    visualStyle: "modern",
    targetLengthSec: 15,
    aspectRatio: "16:9",
    voice: "en-us-male",
    quality: "draft",
    music: "none",
    ...over,
  });

const attemptsOf = async (jobId: string, stepId: string) => db.jobStepAttempt.count({ where: { jobId, stepId } });

describe("editing without dead ends", () => {
  test("a failed job's scene is edited, retried from the failed step, and the video has the edit; the rest is reused", async () => {
    const { video, job } = await createVideo({ db, ...owner }, brief());
    await engine.runJob(job.id);
    const first = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
    assert.equal(first.status, "succeeded", `${first.errorStage}: ${first.errorMessage}`);
    const visual2 = (steps: typeof first.steps) => steps.find((s) => s.stepId === "visual-2")!.output as { key: string; shots: { query: string }[] };
    const pictureBefore = sha(visual2(first.steps).key);

    // The render failed for good (seeded: the failure itself is not what this test is about).
    await db.$transaction([
      db.jobStep.updateMany({ where: { jobId: job.id, stepId: { in: ["render", "encode"] } }, data: { status: "failed", error: "render failed: boom" } }),
      db.job.update({ where: { id: job.id }, data: { status: "failed", errorStage: "render", errorMessage: "render failed: boom" } }),
      db.video.update({ where: { id: video.id }, data: { status: "failed" } }),
    ]);
    const script = scriptSchema.parse((await db.video.findUniqueOrThrow({ where: { id: video.id } })).script);
    const scene = script.scenes[1]!;

    // Nothing to say aloud is refused, naming the field.
    const { sceneEditSchema } = await import("../../server/videos/service.ts");
    const refused = sceneEditSchema.safeParse({ videoId: video.id, sceneId: scene.id, narration: "👍 https://example.org/a", visualPrompt: "x" });
    assert.equal(refused.success, false);
    assert.equal(fieldErrors(refused.error!).narration, "Narration must contain words to speak");

    const words = "Keepers once climbed the tower every evening to light the lamp.";
    const prompt = "a giraffe reading a book under a lamp";
    const edit = await editScene({ db, workspaceId: owner.workspaceId }, { videoId: video.id, sceneId: scene.id, narration: words, visualPrompt: prompt });
    assert.equal(edit.changed, true);
    // Kept, and the job waits for its Retry: the edited scene's steps, the timeline and the
    // render are marked to run again.
    const edited = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
    assert.equal(edited.status, "failed");
    const pending = edited.steps.filter((s) => s.status === "pending").map((s) => s.stepId);
    assert.deepEqual(pending.sort(), ["encode", "narration-2", "render", "timeline", "visual-2"]);
    const stored = scriptSchema.parse((await db.video.findUniqueOrThrow({ where: { id: video.id } })).script).scenes[1]!;
    assert.equal(stored.narration, words);
    // The visual prompt leads the shots' queries: the built-in pictures search by them.
    assert.ok(stored.shots?.length, "the edited scene's shots are written out");
    for (const shot of stored.shots!) assert.match(shot.query, /giraffe|reading|book|lamp/);

    const retried = await retryJob({ db, workspaceId: owner.workspaceId }, job.id);
    assert.equal(retried.redoneSteps, 5, "narration-2, visual-2, timeline, render and encode");
    // Nothing more to edit while it runs.
    await db.job.update({ where: { id: job.id }, data: { status: "running" } });
    await assert.rejects(
      editScene({ db, workspaceId: owner.workspaceId }, { videoId: video.id, sceneId: scene.id, narration: "Other words here.", visualPrompt: prompt }),
      /once the video is ready, or once its job has failed/,
    );
    await db.job.update({ where: { id: job.id }, data: { status: "queued" } });
    await engine.runJob(job.id);

    const done = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
    assert.equal(done.status, "succeeded", `${done.errorStage}: ${done.errorMessage}`);
    // Earlier good work reused: the script and the other scenes ran once; the edited scene twice.
    for (const stepId of ["script", "narration-1", "narration-3", "visual-1", "visual-3"]) assert.equal(await attemptsOf(job.id, stepId), 1, stepId);
    for (const stepId of ["narration-2", "visual-2", "timeline"]) assert.equal(await attemptsOf(job.id, stepId), 2, stepId);
    // A new picture for the new prompt, from the same built-in provider.
    const after = visual2(done.steps);
    assert.equal(done.steps.find((s) => s.stepId === "visual-2")!.provider, first.steps.find((s) => s.stepId === "visual-2")!.provider);
    assert.notEqual(sha(after.key), pictureBefore, "the scene's picture is drawn again");
    // The render was given the edited words (the timeline's captions are cut from them).
    const timeline = done.steps.find((s) => s.stepId === "timeline")!.output as { key: string };
    const spec = JSON.parse(readFileSync(storagePath(timeline.key), "utf8")) as { captions: { cues: { text: string }[] } };
    assert.match(spec.captions.cues.map((c) => c.text).join(" "), /Keepers once climbed the tower/);

    // The job page's stage times are this run's own: the narration stage started after the retry.
    const events = (await db.jobEvent.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } })).map((e) => ({
      id: String(e.id),
      type: e.type,
      payload: e.payload as Record<string, unknown>,
      createdAt: e.createdAt.toISOString(),
    }));
    const retriedAt = events.findLast((e) => e.type === "job.retried")!.createdAt;
    // While rendering, the page is told the time left the worker estimates.
    const renderProgress = events.filter((e) => e.type === "stage.progress" && e.payload.stage === "render");
    assert.ok(renderProgress.length, "the renders reported progress");
    assert.ok(
      renderProgress.some((e) => typeof e.payload.etaSec === "number" && e.payload.etaSec >= 0),
      `no time left among ${JSON.stringify(renderProgress.map((e) => e.payload))}`,
    );
    const view = foldJobEvents(events);
    assert.equal(view.status, "succeeded");
    for (const id of ["narration", "visuals", "timeline", "render"] as const) {
      const stage = view.stages.find((s) => s.id === id)!;
      assert.equal(stage.state, "done", id);
      assert.ok(stage.startedAt! >= retriedAt, `${id} started ${stage.startedAt}, before the retry at ${retriedAt}`);
    }
    assert.ok(view.stages.find((s) => s.id === "script")!.startedAt! < retriedAt, "the reused script keeps its own time");
  });

  test("the review gate refuses a scene with nothing to say aloud, naming it, and the job keeps waiting", async () => {
    await engine.start();
    {
      const { job } = await createVideo({ db, ...owner }, brief({ reviewScript: true, topic: "How bees make honey. They gather nectar. They fan it dry." }));
      await engine.enqueue(job.id);
      for (let i = 0; i < 300 && (await db.job.findUniqueOrThrow({ where: { id: job.id } })).status !== "waiting"; i++)
        await new Promise((r) => setTimeout(r, 100));
      const waiting = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { video: true } });
      assert.equal(waiting.status, "waiting");
      const scenes = scriptSchema.parse(waiting.video.script).scenes.map((s) => ({ id: s.id, narration: s.narration, visualPrompt: s.visualPrompt }));
      const caller = (await callerFactory(db))(owner.userId, owner.workspaceId);
      for (const nothing of ["?! …", "🐝🍯", "https://example.org/honey", "www.bees.example"]) {
        const review = scenes.map((s, i) => (i === 2 ? { ...s, narration: nothing } : s));
        const error = await caller.jobs.reviewScript({ jobId: job.id, scenes: review, approve: true }).then(
          () => assert.fail(`approved a scene saying ${nothing}`),
          (e: TRPCError) => e,
        );
        assert.equal(error.code, "BAD_REQUEST");
        assert.deepEqual(fieldErrors(error.cause as ZodError), { "scenes.2.narration": "Scene 3 has nothing to say aloud" });
      }
      // Nothing went on: still waiting, no narration started, the script unchanged.
      const still = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true, video: true } });
      assert.equal(still.status, "waiting");
      assert.ok(!still.steps.some((s) => s.stepId.startsWith("narration-")));
      assert.deepEqual(still.video.script, waiting.video.script);
      // A scene that says something, with a link in it, passes.
      const ok = scenes.map((s, i) => (i === 2 ? { ...s, narration: "Read more at example.org about bees." } : s));
      assert.deepEqual(await caller.jobs.reviewScript({ jobId: job.id, scenes: ok, approve: false }), { changedScenes: 1, approved: false });
    }
  });
});
