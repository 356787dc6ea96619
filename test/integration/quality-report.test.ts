// The quality report after real jobs on the built-in engine, the render worker and FFmpeg:
// an offline run gets a report with loudness at the target and nothing silent, black or
// frozen; a run whose configured voice (a local server speaking OpenAI's API) answers 429 is
// finished by the built-in voice and reported "degraded", naming the stage, the provider and
// the reason, on GET /api/v1/videos/{id} too (another workspace's key gets a 404).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startFakeOpenAi, type FakeProvider } from "../helpers/fake-providers.ts";
import { runBriefToEnd, startPipelineEnvironment } from "../helpers/pipeline.ts";
import { createOwner } from "../helpers/seed.ts";
import { callerFactory } from "../helpers/trpc.ts";

// The default time limit: the built-in voice must not time out on a busy machine.
Object.assign(process.env, { PROVIDER_PRIVATE_HOSTS: "127.0.0.1:*", PROVIDER_ATTEMPTS: "2" });
const harness = await startPipelineEnvironment();
const { getDb } = await import("../../server/db/client.ts");
const { saveProviderSetting } = await import("../../server/providers/settings.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { readQualityReport } = await import("../../server/pipeline/render/quality-report.ts");
const { renderSpecSchema } = await import("@aura/render-contract");
const { readJsonObject } = await import("../../server/storage/store.ts");
const rest = await import("../../server/api/rest/videos.ts");

const db = getDb();
const as = await callerFactory(db);
const brief = briefSchema.parse({
  topic: "How bees make honey",
  audience: "children",
  tone: "friendly",
  targetLengthSec: 20,
  aspectRatio: "16:9",
  voice: "en-us-female",
  visualStyle: "warm",
  music: "calm",
});
let openai: FakeProvider;

before(async () => {
  openai = await startFakeOpenAi();
});
after(async () => {
  await openai.close();
  await closeSender();
  await harness.stop();
});

/** Runs one job of the brief on a built-in engine until it ends. */
const runToEnd = (workspaceId: string, userId: string) =>
  runBriefToEnd(harness.database.url, { name: "quality-report", workspaceId, userId, brief, polls: 1200 });

describe("quality report", () => {
  test("an offline run: loudness at the target, no silence, black or freeze, pictures a minute from the timeline", async () => {
    const { workspaceId, userId } = await createOwner(db, "quality-offline");
    const done = await runToEnd(workspaceId, userId);
    assert.equal(done.status, "succeeded", `${done.errorStage}: ${done.errorMessage}`);
    const report = readQualityReport(done.video.qualityReport);
    assert.ok(report, "the video has a report");
    assert.deepEqual(report.degraded, []);
    assert.notEqual(report.verdict, "degraded");
    // Only a fast caption may warn here (the offline voice's pace is its own).
    assert.deepEqual(
      report.warnings.filter((w) => w.kind !== "captions"),
      [],
    );
    assert.ok(report.loudness, "measured");
    assert.ok(Math.abs(report.loudness.integratedLufs! - report.loudness.targetLufs) <= 1, `${report.loudness.integratedLufs} LUFS`);
    assert.deepEqual([report.silences, report.blacks, report.freezes], [[], [], []]);
    const timelineKey = (done.steps.find((s) => s.stepId === "timeline")!.output as { key: string }).key;
    const spec = renderSpecSchema.parse(await readJsonObject(timelineKey));
    const distinct = new Set(spec.scenes.map((s) => s.image ?? s.clip?.key)).size;
    assert.equal(report.pictures.distinct, distinct);
    assert.equal(report.pictures.perMinute, Math.round((distinct / (done.video.durationSec! / 60)) * 10) / 10);
    assert.equal(report.captions.cues.length, spec.captions.cues.length);
    const encode = done.steps.find((s) => s.stepId === "encode")!.output as { quality: string };
    assert.equal(encode.quality, report.verdict);
  });

  test("the configured voice answers 429 and the built-in voice takes over: degraded, naming stage, provider and reason; REST returns it", async () => {
    const owner = await createOwner(db, "quality-degraded");
    const other = await createOwner(db, "quality-other");
    await saveProviderSetting(
      { db, workspaceId: owner.workspaceId },
      { capability: "voice", provider: "openai", baseUrl: `${openai.url}/v1`, apiKey: "sk-test-good-key" },
    );
    openai.queue(
      "/v1/audio/speech",
      ...Array.from({ length: 40 }, () => ({
        status: 429,
        body: { error: { message: "You exceeded your current quota", type: "insufficient_quota", code: "insufficient_quota" } },
      })),
    );
    const done = await runToEnd(owner.workspaceId, owner.userId);
    assert.equal(done.status, "succeeded", `${done.errorStage}: ${done.errorMessage}`);
    const report = readQualityReport(done.video.qualityReport)!;
    assert.equal(report.verdict, "degraded");
    assert.equal(report.degraded.length, 1, JSON.stringify(report.degraded));
    const [fell] = report.degraded;
    assert.equal(fell!.stage, "narration");
    assert.equal(fell!.from.id, "openai");
    assert.ok(fell!.steps.length >= 1 && fell!.steps.every((s) => s.startsWith("narration-")));
    assert.match(fell!.reason, /429/);
    const answered = done.steps.find((s) => s.stepId === "narration-1")!.provider!;
    assert.equal(fell!.to.id, answered);

    const key = async (o: typeof owner) => (await as(o.userId, o.workspaceId).automation.createApiKey({ name: "q", scopes: ["videos:read"] })).key;
    const get = (apiKey: string) =>
      rest.getVideoRoute(new Request(`http://aura.test/api/v1/videos/${done.videoId}`, { headers: { authorization: `Bearer ${apiKey}` } }), {
        params: Promise.resolve({ id: done.videoId }),
      });
    const response = await get(await key(owner));
    assert.equal(response.status, 200);
    const body = (await response.json()) as { quality: { verdict: string; degraded: { stage: string; from: { id: string }; reason: string }[] } };
    assert.equal(body.quality.verdict, "degraded");
    assert.deepEqual(
      body.quality.degraded.map((d) => [d.stage, d.from.id]),
      [["narration", "openai"]],
    );
    assert.equal((await get(await key(other))).status, 404, "another workspace's key does not see it");
  });
});
