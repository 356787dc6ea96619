// AI video clips (OpenAI's video API) against a local server that speaks it, serving a real MP4
// made with FFmpeg: generations that finish after a few polls while the job sleeps (and other
// jobs run), the same on Inngest's functions, a restart during the wait, a scene edit, failures, refusals and timeouts that fall back down the
// chain, create calls answered 429 and 500, downloads cut midway or of the wrong type,
// cancellation, and the monthly spend limit (recorded once per generation, checked at submit
// and before each generation). No render worker runs here: each job ends at the render
// stage, after the timeline, which is as far as the visuals go.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { InngestTestEngine } from "@inngest/test";
import { startFakeOpenAiVideo, type FakeOpenAiVideo } from "../helpers/fake-openai-video.ts";
import { harbourBriefInput } from "../helpers/briefs.ts";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";
import { callerFactory, code } from "../helpers/trpc.ts";

const env = setTestEnv({
  PROVIDER_PRIVATE_HOSTS: "127.0.0.1:*",
  PROVIDER_TIMEOUT_SEC: "5",
  PROVIDER_ATTEMPTS: "3",
  PROVIDER_MAX_RETRY_WAIT_SEC: "2",
  PROVIDER_BREAKER_FAILURES: "100",
  AI_VIDEO_POLL_SEC: "0.2",
  AI_VIDEO_TIMEOUT_MIN: "0.2",
  // Nothing listens there, and the render does not wait for it: each job ends at "render".
  RENDER_WORKER_URL: "http://127.0.0.1:9",
  RENDER_WORKER_WAIT_SECONDS: "0",
});
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const { getEnv } = await import("../../server/env.ts");
const { BuiltinEngine } = await import("../../server/workflow/engine/builtin.ts");
const { WORKFLOW_FUNCTIONS } = await import("../../server/workflow/video-generate.ts");
const { createLogger } = await import("../../server/lib/log.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { createVideo, cancelJob, editScene, retryJob } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { saveProviderSetting } = await import("../../server/providers/settings.ts");
const { resetBreakers } = await import("../../server/providers/resilience.ts");
const { runScriptStep, runVisualStep } = await import("../../server/pipeline/index.ts");
const { finishSceneVisuals, isStarted, pollSceneGenerations } = await import("../../server/pipeline/visuals/step.ts");
const { spendReport } = await import("../../server/quotas/spend.ts");
const { QuotaError } = await import("../../server/lib/errors.ts");
const { usageRoute } = await import("../../server/api/rest/usage.ts");
const { getVideoDetail } = await import("../../server/videos/queries.ts");
const { generateFunction } = await import("../../server/workflow/inngest/registrations.ts");
const { closeStepLocks } = await import("../../server/workflow/inngest/adapter.ts");

const db = getDb();
const brief = briefSchema.parse(harbourBriefInput("AI"));
let sora: FakeOpenAiVideo;

before(async () => {
  sora = await startFakeOpenAiVideo();
});
after(async () => {
  await sora.close();
  await closeStepLocks();
  await closeSender();
  await db.$disconnect();
  await database.drop();
  rmSync(env.dir, { recursive: true, force: true });
});

/** Runs `fn` with AI_VIDEO_TIMEOUT_MIN at 10 minutes instead of the file's 0.2 (which is for
 *  the timeout tests): the scenes wait for their clips one after the other, so on a slow
 *  machine a later scene's clip can still be polled after 0.2 minutes, and would fall back. */
async function withoutGenerationTimeout<T>(fn: () => Promise<T>): Promise<T> {
  const settings = getEnv();
  const minutes = settings.AI_VIDEO_TIMEOUT_MIN;
  settings.AI_VIDEO_TIMEOUT_MIN = 10;
  try {
    return await fn();
  } finally {
    settings.AI_VIDEO_TIMEOUT_MIN = minutes;
  }
}

const engines: InstanceType<typeof BuiltinEngine>[] = [];
async function startEngine(name: string) {
  const engine = new BuiltinEngine({
    db,
    databaseUrl: database.url,
    functions: [...WORKFLOW_FUNCTIONS],
    log: createLogger({ test: name }),
    concurrency: 1,
    maxAttempts: 2,
    backoffMs: 10,
  });
  await engine.start();
  engines.push(engine);
  return engine;
}
after(async () => {
  for (const e of engines) await e.stop().catch(() => {});
});

/** A workspace whose visuals chain is OpenAI video, then the built-in cards. */
async function videoWorkspace(name: string, options: { limitUsd?: number } = {}) {
  const owner = await createOwner(db, name);
  await saveProviderSetting(
    { db, workspaceId: owner.workspaceId },
    { capability: "visuals", provider: "openai-video", baseUrl: `${sora.url}/v1`, apiKey: sora.key },
  );
  if (options.limitUsd !== undefined) await db.workspace.update({ where: { id: owner.workspaceId }, data: { aiSpendLimitUsd: options.limitUsd } });
  resetBreakers();
  return owner;
}

const until = async (what: string, check: () => Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
const jobOf = (jobId: string) => db.job.findUniqueOrThrow({ where: { id: jobId }, include: { steps: true } });
const ended = (jobId: string) => async () => ["succeeded", "failed", "cancelled"].includes((await jobOf(jobId)).status);
const stepOutput = <T>(job: Awaited<ReturnType<typeof jobOf>>, stepId: string) => job.steps.find((s) => s.stepId === stepId)?.output as T;
type Shot = { kind: string; provider: string; credit?: string; words: string[]; key: string; durationSec?: number };
type Scene = { shots: Shot[]; provider: string; fallbacks?: { provider: string; reason: string }[] };
/** Each scene's final visuals: from its last AI video step when it had one. */
const scenesOf = (job: Awaited<ReturnType<typeof jobOf>>) => {
  const count = stepOutput<{ sceneCount: number }>(job, "script").sceneCount;
  return Array.from({ length: count }, (_, i) => stepOutput<Scene>(job, `visual-${i + 1}-clips`) ?? stepOutput<Scene>(job, `visual-${i + 1}`));
};
/** Runs one job of the brief on an engine of its own until the job ends. */
async function runJob(name: string, owner: { workspaceId: string; userId: string }) {
  const engine = await startEngine(name);
  const { job } = await createVideo({ db, ...owner }, brief);
  await engine.enqueue(job.id);
  await until("the job ends", ended(job.id));
  await engine.stop();
  return jobOf(job.id);
}
const posts = () => sora.requests.filter((r) => r === "POST /v1/videos").length;

describe("AI video clips in a job", () => {
  test("each shot's clip is generated while the job sleeps (another job runs meanwhile), downloaded, checked, credited and paid for once", async () => {
    const { workspaceId, userId } = await videoWorkspace("sora-ok");
    const other = await createOwner(db, "cards-only");
    // Done 2.5 s after its create and not before its third poll: on a slow machine the stages
    // before the first poll can take longer than 2.5 s, and a clip done at its first poll would
    // never make the job sleep.
    sora.setPlan(() => ({ readyAfterMs: 2500, readyAfterPolls: 3 }));
    const postsBefore = posts();
    const engine = await startEngine("ai-ok");
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    const { job: second } = await withoutGenerationTimeout(async () => {
      await engine.enqueue(job.id);
      await until("the first job sleeps", async () => (await jobOf(job.id)).status === "waiting");
      // The engine runs one job at a time: a job that sleeps holds no place.
      const started = await createVideo({ db, workspaceId: other.workspaceId, userId: other.userId }, brief);
      await engine.enqueue(started.job.id);
      await until("both jobs end", async () => (await ended(job.id)()) && (await ended(started.job.id)()));
      return started;
    });

    const done = await jobOf(job.id);
    assert.equal(done.errorStage, "render", `the visuals and the timeline ran; only the render (no worker here) failed: ${done.errorMessage}`);
    const scenes = scenesOf(done);
    const shots = scenes.flatMap((s) => s.shots);
    assert.ok(shots.length >= 2, "the brief has several shots");
    for (const shot of shots) {
      assert.deepEqual(
        [shot.kind, shot.provider, shot.credit],
        ["clip", "openai-video", "Generated with OpenAI sora-2"],
        JSON.stringify(scenes.map((s) => s.fallbacks)),
      );
      assert.equal(shot.durationSec, 8);
      assert.ok(shot.words.length > 0, "the asset's words are the prompt's key words");
    }
    const created = sora.videos.slice(-shots.length);
    assert.equal(posts() - postsBefore, shots.length, "one generation per shot");
    for (const v of created) {
      assert.deepEqual([v.model, v.seconds, v.size], ["sora-2", "8", "1280x720"], "a 16:9 video gets landscape 720p clips long enough for a shot");
      assert.match(v.prompt, /harbour|ship|crane/i, "the prompt is the shot in its scene's setting");
      assert.ok(v.polled >= 1, "asked about before its download");
      assert.equal(v.downloads, 1);
    }
    // Each clip was asked about until it was done, between sleeps.
    assert.ok(
      created.some((v) => v.polled >= 3),
      "a clip was asked about several times",
    );
    // The waiting happened in sleep steps, between short polls.
    const waits = done.steps.filter((s) => /^visual-\d+-wait-\d+$/.test(s.stepId));
    const polls = done.steps.filter((s) => /^visual-\d+-poll-\d+$/.test(s.stepId));
    assert.ok(waits.length >= 2, `${waits.length} sleeps`);
    assert.ok(polls.length >= waits.length);
    assert.ok(waits.every((w) => w.status === "succeeded" && w.waitUntil));
    // The other job ran to its timeline while the first one slept.
    const otherDone = await jobOf(second.id);
    const otherTimeline = otherDone.steps.find((s) => s.stepId === "timeline")!;
    const firstClips = done.steps.find((s) => s.stepId === "visual-1-clips")!;
    assert.ok(otherTimeline.finishedAt! < firstClips.startedAt, "the second job's timeline was done before the first job's clips were fetched");
    // The video's page lists each scene's visual and clips steps, not its polls and sleeps, and shows the clips.
    const detail = await getVideoDetail({ db, workspaceId }, done.videoId);
    const listed = detail.job!.steps.map((s) => s.stepId);
    assert.ok(listed.includes("visual-1") && listed.includes("visual-1-clips"), listed.join(" "));
    assert.ok(!listed.some((id) => /-(poll|wait)-/.test(id)), listed.join(" "));
    assert.ok(listed.indexOf("visual-1-clips") < listed.indexOf("visual-2"), "in scene order");
    for (const shot of detail.scenes.flatMap((sc) => sc.shots)) {
      assert.deepEqual([shot.kind, shot.provider, shot.credit], ["clip", "openai-video", "Generated with OpenAI sora-2"]);
      assert.ok(shot.url && shot.thumbnailUrl);
    }
    // The timeline shows the clips.
    const timeline = stepOutput<{ key: string }>(done, "timeline");
    assert.ok(timeline.key);
    // Spend: one row per generation, at $0.10 a second.
    const rows = await db.paidGeneration.findMany({ where: { jobId: job.id } });
    assert.equal(rows.length, shots.length);
    assert.ok(rows.every((r) => r.status === "completed" && r.costUsd.toNumber() === 0.8 && r.kind === "video" && r.remoteId));
    const report = await spendReport({ db, workspaceId });
    assert.deepEqual([report.usedUsd, report.limitUsd, report.leftUsd], [Math.round(shots.length * 0.8 * 100) / 100, null, null]);
  });

  test("an engine restarted during the wait goes on polling the same generations: no second generation, no second charge", async () => {
    const { workspaceId, userId } = await videoWorkspace("sora-crash");
    sora.setPlan(() => ({ readyAfterMs: 5000 }));
    const postsBefore = posts();
    const first = await startEngine("ai-crash-1");
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    await first.enqueue(job.id);
    await until(
      "a few polls have run",
      async () => (await jobOf(job.id)).steps.filter((s) => /^visual-1-poll-\d+$/.test(s.stepId) && s.status === "succeeded").length >= 3,
    );
    await first.stop();
    const made = posts() - postsBefore;
    const second = await startEngine("ai-crash-2");
    await until("the job ends", ended(job.id));
    await second.stop();
    const done = await jobOf(job.id);
    assert.equal(done.errorStage, "render", done.errorMessage ?? "");
    assert.equal(posts() - postsBefore, made, "no generation was started again");
    const shots = scenesOf(done).flatMap((s) => s.shots);
    assert.ok(shots.every((s) => s.provider === "openai-video" && s.kind === "clip"));
    assert.equal(await db.paidGeneration.count({ where: { jobId: job.id } }), shots.length);
  });

  test("on Inngest, the same steps: polls between sleeps, one generation per shot, the clips stored", async () => {
    const { workspaceId, userId } = await videoWorkspace("sora-inngest");
    // Ready at the second poll, however long the narration before the first one took.
    sora.setPlan(() => ({ readyAfterMs: 1, readyAfterPolls: 2 }));
    const before = posts();
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    // @inngest/test does not end a sleep by itself: each scene's sleeps are stood in for by a
    // real pause of the poll interval, by their step ids.
    const sleeps = [1, 2, 3].flatMap((n) =>
      Array.from({ length: 60 }, (_, k) => ({ id: `visual-${n}-wait-${k + 1}`, handler: () => new Promise<null>((r) => setTimeout(() => r(null), 200)) })),
    );
    const t = new InngestTestEngine({
      function: generateFunction,
      events: [{ name: "video/generate.requested", data: { jobId: job.id, workspaceId } }],
      steps: [{ id: "render", handler: () => ({ videoAssetId: "asset-1", durationSec: 15 }) }, ...sleeps],
    });
    // The test engine replays the function from its start for every step, which makes scene
    // 3's first poll come later still.
    const { error } = await withoutGenerationTimeout(() => t.execute());
    assert.equal(error, undefined, String(error));
    const done = await jobOf(job.id);
    assert.ok(
      done.steps.some((s) => s.stepId === "visual-1-poll-2"),
      "scene 1 was polled again after a sleep",
    );
    const shots = scenesOf(done).flatMap((sc) => sc.shots);
    assert.ok(
      shots.every((sh) => sh.kind === "clip" && sh.provider === "openai-video"),
      JSON.stringify(shots.map((sh) => sh.provider)),
    );
    assert.equal(posts() - before, shots.length, "one generation per shot");
    assert.equal(await db.paidGeneration.count({ where: { jobId: job.id, status: "completed" } }), shots.length);
  });

  test("a scene edit that redoes a scene's visuals generates that scene's clip again, and no other", async () => {
    const { workspaceId, userId } = await videoWorkspace("sora-edit");
    sora.setPlan(() => ({ readyAfterMs: 300 }));
    const engine = await startEngine("ai-edit");
    const { job, video } = await createVideo({ db, workspaceId, userId }, brief);
    await engine.enqueue(job.id);
    await until("the job ends", ended(job.id));
    // No render worker here: the job is set as a finished render leaves it.
    await db.job.update({ where: { id: job.id }, data: { status: "succeeded" } });
    const before = posts();
    const script = (await db.video.findUniqueOrThrow({ where: { id: video.id } })).script as { scenes: { id: string; narration: string }[] };
    const scene = script.scenes[0]!;
    const edited = await editScene(
      { db, workspaceId },
      { videoId: video.id, sceneId: scene.id, narration: scene.narration, visualPrompt: "a lighthouse at dawn" },
    );
    assert.equal(edited.changed, true);
    const reset = await db.jobStep.findMany({ where: { jobId: job.id, stepId: { startsWith: "visual-1" } } });
    assert.ok(reset.some((s) => s.stepId === "visual-1-clips"));
    assert.ok(
      reset.every((s) => s.status === "pending"),
      "the scene's visual step, its polls, waits and last step run again",
    );
    await until("the edited job ends", ended(job.id));
    await engine.stop();
    assert.equal(posts() - before, 1, "one new generation, for the edited scene's one shot");
    assert.match(sora.videos.at(-1)!.prompt, /lighthouse at dawn/);
    const scenes = scenesOf(await jobOf(job.id));
    assert.deepEqual([scenes[0]!.shots[0]!.kind, scenes[0]!.shots[0]!.provider], ["clip", "openai-video"]);
  });

  test("a failed generation, and a prompt refused at create or at a poll, fall back to the next provider with the reason", async () => {
    const { workspaceId, userId } = await videoWorkspace("sora-fail");
    let n = 0;
    // The first generation fails, the second is refused by moderation while it runs, every later prompt is refused at create.
    sora.setPlan(() => {
      n++;
      if (n === 1) return { readyAfterMs: 500, fail: { code: "internal_error", message: "Video generation failed unexpectedly." } };
      if (n === 2) return { readyAfterMs: 300, fail: { code: "moderation_blocked", message: "Your request was blocked by our moderation system." } };
      return { readyAfterMs: 0, refuse: true };
    });
    const done = await runJob("ai-fail", { workspaceId, userId });
    const scenes = scenesOf(done);
    const shots = scenes.flatMap((s) => s.shots);
    assert.ok(
      shots.every((s) => s.provider === "offline-card" && s.kind === "image"),
      "every shot fell back to a card",
    );
    const reasons = scenes.flatMap((s) => s.fallbacks ?? []);
    assert.ok(reasons.every((f) => f.provider === "openai-video"));
    assert.ok(
      reasons.some((f) => /the generation failed \(internal_error\): Video generation failed unexpectedly\./.test(f.reason)),
      JSON.stringify(reasons),
    );
    assert.ok(
      reasons.some((f) => /refused by the provider's policy: Your request was blocked by our moderation system/.test(f.reason)),
      JSON.stringify(reasons),
    );
    const rows = await db.paidGeneration.findMany({ where: { jobId: done.id } });
    assert.deepEqual(
      rows.map((r) => r.status),
      ["failed", "failed"],
      "the two generations that were made and failed are kept, not counted; refused creates made none",
    );
    assert.equal((await spendReport({ db, workspaceId })).usedUsd, 0);
  });
});

describe("AI video clips: timeouts and cancellation", () => {
  test("a generation that never finishes times out, is deleted at the provider, and its shot falls back", async () => {
    const { workspaceId, userId } = await videoWorkspace("sora-slow");
    sora.setPlan(() => ({ readyAfterMs: Number.POSITIVE_INFINITY }));
    const done = await runJob("ai-slow", { workspaceId, userId });
    const scenes = scenesOf(done);
    assert.ok(scenes.flatMap((s) => s.shots).every((s) => s.provider === "offline-card"));
    const reasons = scenes.flatMap((s) => s.fallbacks ?? []);
    assert.ok(reasons.length >= 3);
    for (const r of reasons) assert.match(r.reason, /the generation video_\w+ did not finish within 0\.2 minutes \(AI_VIDEO_TIMEOUT_MIN\)/);
    const rows = await db.paidGeneration.findMany({ where: { jobId: done.id } });
    assert.ok(rows.every((r) => r.status === "abandoned"));
    for (const r of rows) assert.ok(sora.videos.find((v) => v.id === r.remoteId)!.deleted, `${r.remoteId} was deleted`);
  });

  test("cancelling a job that waits for its clips deletes the generations and polls no more; a retry starts them again", async () => {
    const { workspaceId, userId } = await videoWorkspace("sora-cancel");
    sora.setPlan(() => ({ readyAfterMs: Number.POSITIVE_INFINITY }));
    const engine = await startEngine("ai-cancel");
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    await engine.enqueue(job.id);
    await until("the job sleeps between polls", async () => {
      const j = await jobOf(job.id);
      return j.status === "waiting" && j.steps.some((s) => s.stepId === "visual-1-wait-1");
    });
    const result = await cancelJob({ db, workspaceId }, job.id);
    assert.equal(result.status, "cancelled");
    const rows = await db.paidGeneration.findMany({ where: { jobId: job.id } });
    assert.ok(rows.length >= 3);
    assert.ok(rows.every((r) => r.status === "abandoned" && r.error === "the job was cancelled"));
    for (const r of rows) assert.ok(sora.videos.find((v) => v.id === r.remoteId)!.deleted, `${r.remoteId} was deleted`);
    const polled = sora.requests.length;
    await new Promise((r) => setTimeout(r, 1500));
    await engine.stop();
    assert.equal(sora.requests.length, polled, "nothing was asked after the cancel");
    assert.equal((await jobOf(job.id)).status, "cancelled");

    // Retried, its scenes start their clips again (the cancel deleted the old ones).
    sora.setPlan(() => ({ readyAfterMs: 300 }));
    const postsBefore = posts();
    await retryJob({ db, workspaceId }, job.id);
    const again = await startEngine("ai-cancel-retry");
    await until("the retried job ends", ended(job.id));
    await again.stop();
    const shots = scenesOf(await jobOf(job.id)).flatMap((s) => s.shots);
    assert.equal(posts() - postsBefore, shots.length, "one new generation per shot");
    assert.ok(shots.every((s) => s.provider === "openai-video" && s.kind === "clip"));
  });
});

/** A job of the brief in the workspace, with its script written. */
async function scriptedJob(owner: { workspaceId: string; userId: string }) {
  const { job } = await createVideo({ db, ...owner }, brief);
  await runScriptStep(job.id);
  return job.id;
}

/** Runs scene 1's visuals one step at a time, as the workflow does: start, poll until done, finish. */
async function sceneOne(jobId: string) {
  const started = await runVisualStep(jobId, 0);
  assert.ok(isStarted(started), "the clip was started");
  const ended: Awaited<ReturnType<typeof pollSceneGenerations>>["polls"] = [];
  for (let i = 0; i < 100 && ended.length < started.generating.length; i++) {
    await new Promise((r) => setTimeout(r, 200));
    ended.push(...(await pollSceneGenerations(jobId, started.generating)).polls.filter((p) => p.status !== "waiting"));
  }
  return { started, done: await finishSceneVisuals(jobId, 0, started, ended) };
}

describe("AI video clips: a scene's steps one at a time", () => {
  test("create answered 429 with Retry-After, then 500, is retried as asked; each attempt is recorded", async () => {
    const owner = await videoWorkspace("sora-429");
    const jobId = await scriptedJob(owner);
    sora.setPlan(() => ({ readyAfterMs: 300 }));
    sora.queueCreate(
      {
        status: 429,
        headers: { "retry-after": "1" },
        body: { error: { message: "Rate limit reached for videos per minute.", type: "requests", param: null, code: "rate_limit_exceeded" } },
      },
      { status: 500, body: { error: { message: "The server had an error while processing your request.", type: "server_error", param: null, code: null } } },
    );
    const startedAt = Date.now();
    const { started, done } = await sceneOne(jobId);
    assert.deepEqual(
      started.reports[0]!.attempts.map((a) => [a.ok, a.kind ?? null]),
      [
        [false, "rate_limit"],
        [false, "transient"],
        [true, null],
      ],
    );
    assert.match(started.reports[0]!.attempts[0]!.error!, /rate limited \(HTTP 429\), retry after 1 s: Rate limit reached/);
    assert.match(started.reports[0]!.attempts[1]!.error!, /server error \(HTTP 500\)/);
    assert.ok(Date.now() - startedAt >= 1000, "the asked second was waited");
    assert.deepEqual([done.shots[0]!.kind, done.shots[0]!.provider], ["clip", "openai-video"]);
    const rows = await db.paidGeneration.findMany({ where: { jobId } });
    assert.deepEqual(
      rows.map((r) => r.status),
      ["completed"],
      "the retried create is one generation, one row",
    );
  });

  test("a download cut midway is fetched again; one sent as HTML falls back, counted as paid", async () => {
    const owner = await videoWorkspace("sora-download");
    const cutJob = await scriptedJob(owner);
    sora.setPlan(() => ({ readyAfterMs: 200, download: "cut-once" }));
    const cut = await sceneOne(cutJob);
    const attempts = cut.done.attempts.filter((a) => a.provider === "openai-video");
    assert.ok(
      attempts.some((a) => !a.ok && /the download of the generated clip video_\w+ stopped after \d+ of \d+ bytes/.test(a.error ?? "")),
      JSON.stringify(attempts),
    );
    assert.deepEqual([cut.done.shots[0]!.kind, cut.done.shots[0]!.provider], ["clip", "openai-video"]);
    assert.equal(sora.videos.at(-1)!.downloads, 2);

    const htmlJob = await scriptedJob(owner);
    sora.setPlan(() => ({ readyAfterMs: 200, download: "html" }));
    const html = await sceneOne(htmlJob);
    assert.deepEqual([html.done.shots[0]!.kind, html.done.shots[0]!.provider], ["image", "offline-card"]);
    assert.equal(html.done.fallbacks?.length, 1);
    assert.match(html.done.fallbacks![0]!.reason, /the generated clip video_\w+ was sent as text\/html, not as a video/);
    const row = await db.paidGeneration.findFirstOrThrow({ where: { jobId: htmlJob } });
    assert.equal(row.status, "completed", "it was made, so it counts");
    assert.match(row.error ?? "", /text\/html/);
  });

  test("a visual step run again (a crash before its result was saved) takes up its generation instead of paying twice", async () => {
    const owner = await videoWorkspace("sora-rerun");
    const jobId = await scriptedJob(owner);
    sora.setPlan(() => ({ readyAfterMs: 60_000 }));
    const before = posts();
    const first = await runVisualStep(jobId, 0);
    const again = await runVisualStep(jobId, 0);
    assert.ok(isStarted(first) && isStarted(again));
    assert.equal(posts() - before, 1, "one generation");
    assert.equal(again.generating[0]!.generation.remoteId, first.generating[0]!.generation.remoteId);
    assert.equal(await db.paidGeneration.count({ where: { jobId } }), 1, "one row, counted once");
  });
});

describe("the monthly AI spend limit", () => {
  test("a brief whose estimate passes what is left is refused at submit, naming the field and both figures", async () => {
    const owner = await videoWorkspace("spend-submit", { limitUsd: 1 });
    const refused = await createVideo({ db, ...owner }, brief).catch((e: unknown) => e);
    assert.ok(refused instanceof QuotaError, String(refused));
    assert.equal(refused.quota, "aiSpendPerMonth");
    assert.equal(
      refused.message,
      "targetLengthSec: this video would cost about $3.20 of AI video (4 shots); your workspace has $1.00 left this month of its $1.00 AI spend limit",
    );
    assert.equal(await db.video.count({ where: { workspaceId: owner.workspaceId } }), 0, "nothing was created");
    // A shorter brief fits.
    await db.workspace.update({ where: { id: owner.workspaceId }, data: { aiSpendLimitUsd: 3.2 } });
    await createVideo({ db, ...owner }, brief);
  });

  test("the stage checks each generation again: past the limit, the shot falls back without asking, and says why", async () => {
    const owner = await videoWorkspace("spend-stage", { limitUsd: 100 });
    const jobId = await scriptedJob(owner);
    // Since the submit, the limit was lowered and other videos spent most of it.
    await db.workspace.update({ where: { id: owner.workspaceId }, data: { aiSpendLimitUsd: 1 } });
    await db.paidGeneration.create({
      data: {
        workspaceId: owner.workspaceId,
        provider: "openai-video",
        model: "sora-2",
        kind: "video",
        units: 5,
        costUsd: 0.5,
        prompt: "earlier",
        status: "completed",
        remoteId: "video_earlier",
      },
    });
    const before = posts();
    const out = await runVisualStep(jobId, 0);
    assert.ok(!isStarted(out));
    assert.equal(posts(), before, "the provider was not asked");
    assert.deepEqual([out.shots[0]!.kind, out.shots[0]!.provider], ["image", "offline-card"]);
    assert.deepEqual(out.fallbacks, [
      {
        provider: "openai-video",
        reason:
          "not asked: the workspace's monthly AI spend limit would be passed (it would cost about $0.80; this workspace has $0.50 of its $1.00 monthly AI spend limit left)",
      },
    ]);
    const report = await spendReport({ db, workspaceId: owner.workspaceId });
    assert.deepEqual([report.limitUsd, report.usedUsd, report.leftUsd], [1, 0.5, 0.5]);
  });

  test("admins set the limit in the settings; it is shown against this month's use there and in the REST API", async () => {
    const owner = await createOwner(db, "spend-api");
    const as = await callerFactory(db);
    const admin = as(owner.userId, owner.workspaceId);
    const figures = (r: { limitUsd: number | null; usedUsd: number; leftUsd: number | null }) => [r.limitUsd, r.usedUsd, r.leftUsd];
    assert.deepEqual(figures(await admin.providers.spend()), [null, 0, null], "no limit until one is set");
    const paid = { workspaceId: owner.workspaceId, provider: "openai-video", model: "sora-2", kind: "video", units: 8, prompt: "p" };
    await db.paidGeneration.create({ data: { ...paid, costUsd: 0.8, status: "completed", remoteId: "video_a" } });
    await db.paidGeneration.create({ data: { ...paid, costUsd: 0.45, status: "started", remoteId: "video_b" } });
    await db.paidGeneration.create({ data: { ...paid, costUsd: 5, status: "failed", remoteId: "video_c" } });
    const set = await admin.providers.setSpendLimit({ limitUsd: 10.004 });
    assert.deepEqual(figures(set), [10, 1.25, 8.75], "a failed generation costs nothing; one still generating counts");
    assert.equal(set.monthStart.toISOString().slice(8), "01T00:00:00.000Z");
    await assert.rejects(admin.providers.setSpendLimit({ limitUsd: -1 }), /limitUsd cannot be negative/);
    const audit = await db.auditLog.findFirstOrThrow({ where: { workspaceId: owner.workspaceId, action: "settings.spend_limit_updated" } });
    assert.deepEqual(audit.data, { from: null, to: 10 });
    // An editor neither sees nor sets it.
    const editor = await db.user.create({ data: { email: "spend-editor@example.test" } });
    await db.membership.create({ data: { workspaceId: owner.workspaceId, userId: editor.id, role: "editor" } });
    assert.equal(await code(as(editor.id, owner.workspaceId).providers.setSpendLimit({ limitUsd: null })), "FORBIDDEN");
    // The REST API shows the same figures to a key of the workspace.
    const { key } = await admin.automation.createApiKey({ name: "usage", scopes: ["videos:read"] });
    const response = await usageRoute(new Request("http://aura.test/api/v1/usage", { headers: { authorization: `Bearer ${key}` } }));
    assert.equal(response.status, 200);
    const body = (await response.json()) as { aiSpend: { limitUsd: number; usedUsd: number; leftUsd: number; monthStart: string } };
    assert.deepEqual([body.aiSpend.limitUsd, body.aiSpend.usedUsd, body.aiSpend.leftUsd], [10, 1.25, 8.75]);
    assert.equal(body.aiSpend.monthStart, set.monthStart.toISOString());
    // Removing the limit lifts it.
    assert.deepEqual(figures(await admin.providers.setSpendLimit({ limitUsd: null })), [null, 1.25, null]);
  });
});
