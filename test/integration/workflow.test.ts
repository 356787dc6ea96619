// A full workflow run against the real PostgreSQL, festival, flite, pocketsphinx, FFmpeg and a render-worker
// process: the MP4 must match the timeline, and steps must be memoized on replay.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { startPipelineEnvironment } from "../helpers/pipeline.ts";

const harness = await startPipelineEnvironment();
const { database, renderTmp } = harness;

const { getDb } = await import("../../server/db/client.ts");
const { BuiltinEngine } = await import("../../server/workflow/engine/builtin.ts");
const { WORKFLOW_FUNCTIONS } = await import("../../server/workflow/video-generate.ts");
const { createVideo, cancelJob, editScene } = await import("../../server/videos/service.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { LocalStore } = await import("@aura/object-store");
/** The file behind a storage key: these tests run on the local store. */
const storagePath = (key: string) => new LocalStore(harness.env.STORAGE_DIR).localPath(key);
const { createLogger } = await import("../../server/lib/log.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");

const db = getDb();
const engine = new BuiltinEngine({
  db,
  databaseUrl: database.url,
  functions: [...WORKFLOW_FUNCTIONS],
  log: createLogger({ test: "workflow" }),
  concurrency: 1,
  maxAttempts: 2,
  backoffMs: 10,
});

let workspaceId = "";
let userId = "";

before(async () => {
  const user = await db.user.create({ data: { email: "w@example.test", name: "W" } });
  const ws = await db.workspace.create({ data: { name: "W", slug: "w", personal: true, memberships: { create: { userId: user.id, role: "owner" } } } });
  workspaceId = ws.id;
  userId = user.id;
});

after(async () => {
  await engine.stop();
  await closeSender();
  await db.$disconnect();
  await harness.stop();
});

function ffprobeJson(file: string) {
  const r = spawnSync("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { format: { duration: string }; streams: { codec_type: string; codec_name: string; width?: number; height?: number }[] };
}

describe("video workflow on the built-in engine", () => {
  test("a brief becomes an MP4 matching its timeline; finished steps are never re-run", async () => {
    const brief = briefSchema.parse({
      topic: "Why octopuses are so clever. They have neurons in their arms. They solve puzzles.",
      audience: "curious adults",
      tone: "informative",
      targetLengthSec: 20,
      aspectRatio: "16:9",
      voice: "en-us-female",
      visualStyle: "modern",
      music: "calm",
      captions: true,
    });
    const { video, job } = await createVideo({ db, workspaceId, userId }, brief);
    await engine.runJob(job.id);

    const finished = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
    assert.equal(finished.status, "succeeded", `job ended ${finished.status}: ${finished.errorStage} ${finished.errorMessage}`);
    assert.equal(finished.progress, 100);
    const script = finished.steps.find((s) => s.stepId === "script")!;
    const sceneCount = (script.output as { sceneCount: number }).sceneCount;
    assert.ok(sceneCount >= 3);
    const ids = finished.steps.map((s) => s.stepId).sort();
    const expected = [
      "script",
      "timeline",
      "render",
      "encode",
      ...Array.from({ length: sceneCount }, (_, i) => [`narration-${i + 1}`, `visual-${i + 1}`]).flat(),
    ].sort();
    assert.deepEqual(ids, expected);
    for (const step of finished.steps) {
      assert.equal(step.status, "succeeded");
      assert.equal(step.attempts, 1);
      assert.ok(step.durationMs !== null && step.durationMs >= 0);
    }
    // A female English voice is festival's, timed by the voice itself.
    const narration = finished.steps.find((s) => s.stepId === "narration-1")!;
    assert.deepEqual([narration.provider, (narration.output as { timing: string }).timing], ["festival", "voice"]);

    const ready = await db.video.findUniqueOrThrow({ where: { id: video.id }, include: { outputAsset: true, thumbnailAsset: true } });
    assert.equal(ready.status, "ready");
    const timeline = finished.steps.find((s) => s.stepId === "timeline")!.output as { durationSec: number };
    const file = storagePath(ready.outputAsset!.storageKey);
    const probe = ffprobeJson(file);
    assert.ok(Math.abs(Number(probe.format.duration) - timeline.durationSec) <= 0.5, `duration ${probe.format.duration} vs timeline ${timeline.durationSec}`);
    const v = probe.streams.find((s) => s.codec_type === "video")!;
    assert.equal(v.codec_name, "h264");
    assert.equal(v.width, 1920);
    assert.equal(v.height, 1080);
    assert.ok(probe.streams.some((s) => s.codec_type === "audio" && s.codec_name === "aac"));
    const decode = spawnSync("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"], { encoding: "utf8" });
    assert.equal(decode.status, 0);
    assert.equal(decode.stderr.trim(), "", "the MP4 decodes without errors");
    assert.equal(ready.thumbnailAsset!.mimeType, "image/jpeg");
    // One chapter per scene, named after the scene; SRT and WebVTT captions beside the MP4.
    const chapters = JSON.parse(spawnSync("ffprobe", ["-v", "error", "-print_format", "json", "-show_chapters", file], { encoding: "utf8" }).stdout) as {
      chapters: { start_time: string; end_time: string; tags: { title: string } }[];
    };
    const script2 = ready.script as { scenes: { title: string }[] };
    assert.deepEqual(
      chapters.chapters.map((c) => c.tags.title),
      script2.scenes.map((s) => s.title),
    );
    // The video page lists the same chapters, at the same times, for its player to jump to.
    const { getVideoDetail } = await import("../../server/videos/queries.ts");
    const listed = (await getVideoDetail({ db, workspaceId }, video.id)).chapters;
    assert.deepEqual(
      listed.map((c) => [c.title, c.startMs, c.endMs]),
      chapters.chapters.map((c) => [c.tags.title, Math.round(Number(c.start_time) * 1000), Math.round(Number(c.end_time) * 1000)]),
    );
    assert.equal(listed[0]!.startMs, 0);
    const sidecars = await db.asset.findMany({ where: { videoId: video.id, kind: "captions" }, orderBy: { mimeType: "asc" } });
    assert.deepEqual(
      sidecars.map((a) => a.mimeType),
      ["application/x-subrip", "text/vtt"],
    );
    assert.match(readFileSync(storagePath(sidecars[1]!.storageKey), "utf8"), /^WEBVTT\n\n00:00:00\.\d{3} --> /);
    // Each scene lasts as long as its narration plus a pause: the video is longer than all narration.
    const narrationTotal = finished.steps
      .filter((s) => s.stepId.startsWith("narration-"))
      .reduce((a, s) => a + (s.output as { durationSec: number }).durationSec, 0);
    assert.ok(timeline.durationSec > narrationTotal);

    // Event ids increase and tell the whole story in order.
    const events = await db.jobEvent.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } });
    assert.equal(events[0]!.type, "job.queued");
    assert.equal(events.at(-1)!.type, "job.succeeded");
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.id > events[i - 1]!.id);

    // Replay after losing the render: only the render runs again.
    await db.jobStep.deleteMany({ where: { jobId: job.id, stepId: { in: ["render", "encode"] } } });
    await db.job.update({ where: { id: job.id }, data: { status: "running" } });
    await engine.runJob(job.id);
    const replayed = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
    assert.equal(replayed.status, "succeeded");
    for (const step of replayed.steps) assert.equal(step.attempts, 1, `${step.stepId} ran again`);
    const started = await db.jobEvent.findMany({ where: { jobId: job.id, type: "step.started", id: { gt: events.at(-1)!.id } } });
    assert.deepEqual(
      started.map((e) => (e.payload as { stepId: string }).stepId),
      ["render", "encode"],
    );
  });

  test("editing one scene of a ready video redoes that scene and the render only; the worker reuses the other segments", async () => {
    const brief = briefSchema.parse({
      topic: "Tides. The moon pulls the oceans. Twice a day the water rises and falls.",
      audience: "sailors",
      tone: "serious",
      targetLengthSec: 20,
      aspectRatio: "16:9",
      voice: "en-gb-male",
      visualStyle: "midnight",
      music: "calm",
    });
    const { video, job } = await createVideo({ db, workspaceId, userId }, brief);
    await engine.runJob(job.id);
    const first = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true, video: true } });
    assert.equal(first.status, "succeeded");
    // A male English voice is flite's, which gives no word times: they are aligned to its audio.
    const firstNarration = first.steps.find((s) => s.stepId === "narration-1")!;
    assert.deepEqual([firstNarration.provider, (firstNarration.output as { timing: string }).timing], ["flite", "aligned"]);
    const firstEncode = first.steps.find((s) => s.stepId === "encode")!.output as { segments: { total: number; cached: number } };
    const scenes = (first.video.script as { scenes: { id: string; narration: string; visualPrompt: string }[] }).scenes;
    assert.ok(scenes.length >= 3);
    const middle = scenes[1]!;
    const { getVideoDetail } = await import("../../server/videos/queries.ts");
    assert.equal((await getVideoDetail({ db, workspaceId }, video.id)).chapters.length, scenes.length);

    // Nothing changed: nothing runs.
    assert.deepEqual(
      await editScene({ db, workspaceId }, { videoId: video.id, sceneId: middle.id, narration: middle.narration, visualPrompt: middle.visualPrompt }),
      { changed: false, redoneSteps: 0 },
    );
    const edited = "Tides follow the moon, and every harbour keeps a table of them.";
    assert.deepEqual(await editScene({ db, workspaceId }, { videoId: video.id, sceneId: middle.id, narration: edited, visualPrompt: middle.visualPrompt }), {
      changed: true,
      redoneSteps: 4,
    });
    // Until the edited video is rendered, the page lists no chapters: the timeline will change.
    const chaptersBefore = (await getVideoDetail({ db, workspaceId }, video.id)).chapters;
    assert.equal(chaptersBefore.length, 0);
    await engine.runJob(job.id);
    const chaptersAfter = (await getVideoDetail({ db, workspaceId }, video.id)).chapters;
    assert.equal(chaptersAfter.length, scenes.length);
    const after = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true, video: true } });
    assert.equal(after.status, "succeeded", `${after.errorStage}: ${after.errorMessage}`);
    const ran = await db.jobStepAttempt.groupBy({ by: ["stepId"], where: { jobId: job.id, status: "succeeded" }, _count: { _all: true } });
    const twice = ran
      .filter((r) => r._count._all === 2)
      .map((r) => r.stepId)
      .sort();
    assert.deepEqual(twice, ["encode", "narration-2", "timeline"], "only the edited scene's narration, the timeline and the render ran again");
    const encode = after.steps.find((s) => s.stepId === "encode")!.output as { segments: { total: number; cached: number } };
    assert.equal(encode.segments.total, firstEncode.segments.total);
    assert.equal(
      encode.segments.cached,
      encode.segments.total - 3,
      "the middle scene's body and its two transitions were rendered; the rest came from the cache",
    );
    assert.equal((after.video.script as { scenes: { narration: string }[] }).scenes[1]!.narration, edited);
    // The new timeline's captions say the new words.
    const timelineKey = (after.steps.find((s) => s.stepId === "timeline")!.output as { key: string }).key;
    assert.ok(readFileSync(storagePath(timelineKey), "utf8").includes("keeps a table of them."));

    // Picture-in-picture: the first scene's picture in a corner of the last scene. Only the
    // timeline and the render run again; the last scene's pieces are rendered, the rest cached.
    const last = scenes.at(-1)!;
    const sameText = { videoId: video.id, sceneId: last.id, narration: last.narration, visualPrompt: last.visualPrompt };
    await assert.rejects(
      editScene({ db, workspaceId }, { ...sameText, inset: { sceneId: last.id, position: "top-left" } }),
      /inset.sceneId: the inset must show another scene/,
    );
    await assert.rejects(editScene({ db, workspaceId }, { ...sameText, inset: { sceneId: "no-such-scene", position: "top-left" } }), /inset.sceneId/);
    assert.deepEqual(await editScene({ db, workspaceId }, { ...sameText, inset: { sceneId: scenes[0]!.id, position: "top-left" } }), {
      changed: true,
      redoneSteps: 3,
    });
    await engine.runJob(job.id);
    const withInset = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
    assert.equal(withInset.status, "succeeded", `${withInset.errorStage}: ${withInset.errorMessage}`);
    const spec = JSON.parse(readFileSync(storagePath((withInset.steps.find((s) => s.stepId === "timeline")!.output as { key: string }).key), "utf8")) as {
      scenes: { image: string; continues?: boolean; inset: { image: string; position: string } | null }[];
    };
    // Every shot of the last scene shows the first scene's first picture in its corner.
    const lastScene = spec.scenes.findLastIndex((s) => !s.continues);
    const lastShots = spec.scenes.length - lastScene;
    assert.deepEqual(
      spec.scenes.map((s) => s.inset?.image ?? null),
      spec.scenes.map((_, i) => (i >= lastScene ? spec.scenes[0]!.image : null)),
    );
    assert.equal(spec.scenes.at(-1)!.inset!.position, "top-left");
    const insetEncode = withInset.steps.find((s) => s.stepId === "encode")!.output as { segments: { total: number; cached: number } };
    assert.equal(
      insetEncode.segments.cached,
      insetEncode.segments.total - 2 * lastShots,
      "the last scene's shots (bodies and the transitions into each) were rendered; the rest came from the cache",
    );
    // The text is kept when only the inset changes; omitting the inset keeps it; null removes it.
    assert.deepEqual(await editScene({ db, workspaceId }, sameText), { changed: false, redoneSteps: 0 });
    assert.deepEqual(await editScene({ db, workspaceId }, { ...sameText, inset: null }), { changed: true, redoneSteps: 3 });
    await engine.runJob(job.id);

    // Each render counted its measured length once towards the month: the first and four edits.
    const usage = await db.renderUsage.findMany({ where: { videoId: video.id }, orderBy: { createdAt: "asc" } });
    assert.equal(usage.length, 4);
    const ready = await db.video.findUniqueOrThrow({ where: { id: video.id } });
    assert.ok(Math.abs(usage.at(-1)!.seconds - ready.durationSec!) < 0.01);

    // An edit may not make the video much longer than ordered: 300 Chinese characters (about
    // 150 words) in a 20 s video are refused before anything runs, naming the field.
    const before = await db.video.findUniqueOrThrow({ where: { id: video.id } });
    await assert.rejects(
      editScene({ db, workspaceId }, { videoId: video.id, sceneId: middle.id, narration: `${"潮汐每天两次".repeat(50)}。`, visualPrompt: middle.visualPrompt }),
      /narration: with this text the video would last about \d+ s; it was ordered at 20 s, so it may last at most 25 s/,
    );
    // An edit renders again, so it counts against the month's minutes.
    await db.workspace.update({ where: { id: workspaceId }, data: { quotaMinutesPerMonth: 1 } });
    await assert.rejects(
      editScene({ db, workspaceId }, { videoId: video.id, sceneId: middle.id, narration: "Tides follow the moon.", visualPrompt: middle.visualPrompt }),
      /This edit would bring the month to \d+\.\d of this workspace's 1 minutes/,
    );
    await db.workspace.update({ where: { id: workspaceId }, data: { quotaMinutesPerMonth: null } });
    assert.deepEqual((await db.video.findUniqueOrThrow({ where: { id: video.id } })).script, before.script, "a refused edit changes nothing");

    // Once narrated, the length is checked again before anything renders: narration measured
    // at 40 s for a 20 s video fails the timeline stage for good, saying why.
    const { runTimelineStep } = await import("../../server/pipeline/timeline/step.ts");
    const measured = scenes.map(() => ({ key: "narration.wav", durationSec: 40 / scenes.length }));
    await assert.rejects(
      runTimelineStep(
        job.id,
        measured,
        scenes.map(() => ({ key: "visual.png" })),
      ),
      (e: Error & { retriable?: boolean }) =>
        e.retriable === false && /^the narration measures \d+\.\d s, more than a 20 s video allows \(30 s\)/.test(e.message),
    );

    // A video that is not ready cannot be edited.
    await db.job.update({ where: { id: job.id }, data: { status: "running" } });
    await assert.rejects(
      editScene({ db, workspaceId }, { videoId: video.id, sceneId: middle.id, narration: "x", visualPrompt: "y" }),
      /once the video is ready/,
    );
    await db.job.update({ where: { id: job.id }, data: { status: "succeeded" } });
  });

  test("the brief's format, quality, transition and watermark: a Draft WebM with a watermark, its captions found beside it", async () => {
    const brief = briefSchema.parse({
      topic: "Why cats purr. Purring may help healing.",
      audience: "cat owners",
      tone: "friendly",
      targetLengthSec: 15,
      aspectRatio: "1:1",
      voice: "en-us-male",
      visualStyle: "bold",
      music: "none",
      quality: "draft",
      transition: "fade-black",
      format: "webm-vp9",
      watermark: { text: "100% {cats} 'n' \\ more", position: "top-left" },
    });
    const { video, job } = await createVideo({ db, workspaceId, userId }, brief);
    await engine.runJob(job.id);
    const finished = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    assert.equal(finished.status, "succeeded", `${finished.errorStage}: ${finished.errorMessage}`);
    const ready = await db.video.findUniqueOrThrow({ where: { id: video.id }, include: { outputAsset: true } });
    assert.equal(ready.outputAsset!.mimeType, "video/webm");
    assert.ok(ready.outputAsset!.storageKey.endsWith(".webm"));
    const probe = ffprobeJson(storagePath(ready.outputAsset!.storageKey)) as {
      format: { format_name?: string };
      streams: { codec_type: string; codec_name: string }[];
    };
    assert.match(probe.format.format_name ?? "", /webm/);
    assert.deepEqual(probe.streams.map((s) => [s.codec_type, s.codec_name]).sort(), [
      ["audio", "opus"],
      ["video", "vp9"],
    ]);
    const spec = JSON.parse(
      readFileSync(
        storagePath((await db.jobStep.findFirstOrThrow({ where: { jobId: job.id, stepId: "timeline" } })).output!["key" as never] as string),
        "utf8",
      ),
    );
    assert.deepEqual([spec.quality, spec.transition.kind, spec.watermark.position], ["draft", "fade-black", "top-left"]);
    const { getVideoDetail } = await import("../../server/videos/queries.ts");
    const detail = await getVideoDetail({ db, workspaceId }, video.id);
    assert.ok(detail.captions.vtt && detail.captions.srt, "the sidecars of a .webm are found");
  });

  test("on start, the engine resumes a job left unfinished, without redoing finished steps", async () => {
    const brief = briefSchema.parse({
      topic: "Clouds",
      audience: "kids",
      tone: "playful",
      targetLengthSec: 15,
      aspectRatio: "1:1",
      voice: "en-gb-female",
      visualStyle: "minimal",
      music: "bright",
    });
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    // A previous engine process ran the script step, then died mid-job.
    const { runScriptStep } = await import("../../server/pipeline/index.ts");
    const output = await runScriptStep(job.id);
    await db.jobStep.create({
      data: { jobId: job.id, stepId: "script", stage: "script", status: "succeeded", attempts: 1, output, finishedAt: new Date(), durationMs: 5 },
    });
    await db.job.update({ where: { id: job.id }, data: { status: "running", attempts: 1 } });

    const restarted = new BuiltinEngine({
      db,
      databaseUrl: database.url,
      functions: [...WORKFLOW_FUNCTIONS],
      log: createLogger({}),
      concurrency: 1,
      maxAttempts: 2,
    });
    await restarted.start();
    try {
      for (let i = 0; i < 900; i++) {
        const j = await db.job.findUniqueOrThrow({ where: { id: job.id } });
        if (j.status !== "running" && j.status !== "queued") break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await restarted.stop();
    }
    const finished = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true, video: true } });
    assert.equal(finished.status, "succeeded", `${finished.errorStage}: ${finished.errorMessage}`);
    assert.equal(finished.attempts, 2);
    assert.equal(finished.steps.find((s) => s.stepId === "script")!.durationMs, 5, "the script step was not run again");
    assert.deepEqual([finished.video.width, finished.video.height], [1080, 1080]);
  });

  test("cancelling during the render stops FFmpeg and leaves no temp files", async () => {
    const brief = briefSchema.parse({
      topic: "The water cycle",
      audience: "students",
      tone: "friendly",
      targetLengthSec: 90,
      aspectRatio: "16:9",
      voice: "en-us-male",
      visualStyle: "warm",
      music: "none",
      captions: true,
    });
    const { video, job } = await createVideo({ db, workspaceId, userId }, brief);
    const run = engine.runJob(job.id);
    // Wait until the render has made progress, then cancel.
    for (let i = 0; i < 600; i++) {
      const progress = await db.jobEvent.findFirst({ where: { jobId: job.id, type: "stage.progress" } });
      if (progress) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const result = await cancelJob({ db, workspaceId }, job.id);
    assert.equal(result.changed, true);
    await run;
    const cancelled = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    assert.equal(cancelled.status, "cancelled");
    assert.equal((await db.video.findUniqueOrThrow({ where: { id: video.id } })).status, "cancelled");
    // The worker kills FFmpeg's process group and removes the render's temp directory.
    for (let i = 0; i < 50 && readdirSync(renderTmp).length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(readdirSync(renderTmp), []);
    const ps = spawnSync("pgrep", ["-f", `render-job-${job.id}`], { encoding: "utf8" });
    assert.equal(ps.stdout.trim(), "", "no FFmpeg process is left");
  });
});
