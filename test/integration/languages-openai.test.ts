// A Spanish brief through a local server that speaks OpenAI's wire format and answers in the
// language the prompt asks for: the script stage tells the model the language, checks the
// answer, repairs a wrong-language answer once, and falls back to the offline writer (in
// Spanish, from the brief's own sentences) when the repair is in the wrong language too.
// The first test runs the whole job to an MP4 on the built-in engine.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startFakeOpenAi, type FakeProvider, SCRIPT_SENTENCES } from "../helpers/fake-providers.ts";
import { runBriefToEnd, startPipelineEnvironment } from "../helpers/pipeline.ts";
import { createOwner } from "../helpers/seed.ts";

Object.assign(process.env, {
  PROVIDER_PRIVATE_HOSTS: "127.0.0.1:*",
  PROVIDER_TIMEOUT_SEC: "5",
  // One attempt per provider: each chat request the test counts is one the writer made.
  PROVIDER_ATTEMPTS: "1",
});
const harness = await startPipelineEnvironment();

const { getDb } = await import("../../server/db/client.ts");
const { saveProviderSetting } = await import("../../server/providers/settings.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { runScriptStep } = await import("../../server/pipeline/index.ts");
const { scriptSchema } = await import("../../server/pipeline/script/types.ts");
const { checkLanguage } = await import("../../server/pipeline/script/language.ts");
const { detectLanguage } = await import("../../server/text/detect-language.ts");
const { closeSender } = await import("../../server/workflow/client.ts");

const db = getDb();
const TOPIC =
  "Cómo hacen miel las abejas. Las abejas recogen el néctar de las flores durante todo el día. En la colmena, las obreras pasan el néctar de boca en boca.";
const brief = briefSchema.parse({
  topic: TOPIC,
  audience: "estudiantes",
  tone: "informative",
  targetLengthSec: 20,
  aspectRatio: "16:9",
  voice: "es-female",
  visualStyle: "warm",
  music: "none",
  quality: "draft",
});
/** A model that follows the prompt's language, and one that always answers in English. */
let model: FakeProvider;
let englishOnly: FakeProvider;

before(async () => {
  [model, englishOnly] = await Promise.all([startFakeOpenAi(), startFakeOpenAi({ language: "en" })]);
});
after(async () => {
  await Promise.all([model.close(), englishOnly.close()]);
  await closeSender();
  await db.$disconnect();
  await harness.stop();
});

const useModel = (workspaceId: string, server: FakeProvider) =>
  saveProviderSetting({ db, workspaceId }, { capability: "script", provider: "openai", baseUrl: `${server.url}/v1`, apiKey: "sk-test-good-key" });
const storedScript = async (videoId: string) => scriptSchema.parse((await db.video.findUniqueOrThrow({ where: { id: videoId } })).script);
const narrationOf = (script: { scenes: { narration: string }[] }) => script.scenes.map((s) => s.narration).join(" ");
const chatMessages = (server: FakeProvider, i: number) =>
  (JSON.parse(server.hitsOn("/v1/chat/completions")[i]!.body) as { messages: { role: string; content: string }[] }).messages;

describe("a Spanish brief with an OpenAI-compatible script writer", () => {
  test("runs brief → MP4, and the stored script is the model's Spanish one", async () => {
    assert.equal(brief.language, "es", "detected from the topic");
    const { workspaceId, userId } = await createOwner(db, "lang-openai");
    await useModel(workspaceId, model);
    const before = model.hitsOn("/v1/chat/completions").length;
    const done = await runBriefToEnd(harness.database.url, { name: "languages-openai", workspaceId, userId, brief, polls: 1500 });
    assert.equal(done.status, "succeeded", `${done.errorStage}: ${done.errorMessage}`);
    assert.ok(done.video.outputAssetId, "the video was rendered");
    const mp4 = await db.asset.findUniqueOrThrow({ where: { id: done.video.outputAssetId! } });
    assert.equal(mp4.mimeType, "video/mp4");
    assert.equal(model.hitsOn("/v1/chat/completions").length - before, 1, "the first answer was in Spanish: no repair");
    const [system, user] = chatMessages(model, before);
    assert.match(system!.content, /Write in Spanish \(Español\)/);
    assert.match(user!.content, /^Language: Spanish \(Español\)$/m);
    const script = await storedScript(done.videoId);
    assert.equal(script.writer, "openai:gpt-4o-mini");
    assert.equal(script.title, SCRIPT_SENTENCES.es!.title);
    assert.equal(detectLanguage(narrationOf(script))?.code, "es");
    for (const scene of script.scenes) assert.deepEqual(checkLanguage(scene.narration, "es"), { ok: true });
    assert.equal(done.steps.find((s) => s.stepId === "script")!.provider, "openai");
  });

  test("an answer in English is repaired once, and the repaired Spanish script is kept", async () => {
    const { workspaceId, userId } = await createOwner(db, "lang-repair");
    await useModel(workspaceId, model);
    model.queue("/v1/chat/completions", { language: "en" });
    const before = model.hitsOn("/v1/chat/completions").length;
    const { job, video } = await createVideo({ db, workspaceId, userId }, brief);
    const out = await runScriptStep(job.id);
    assert.equal(out.provider, "openai");
    assert.equal(model.hitsOn("/v1/chat/completions").length - before, 2, "one answer and one repair");
    const repair = chatMessages(model, before + 1).at(-1)!.content;
    assert.match(repair, /That answer cannot be used: the narration is in English, not Spanish/);
    const script = await storedScript(video.id);
    assert.equal(script.writer, "openai:gpt-4o-mini");
    assert.equal(detectLanguage(narrationOf(script))?.code, "es");
  });

  test("two answers in English fall back to the offline writer, in Spanish, with the reason recorded", async () => {
    const { workspaceId, userId } = await createOwner(db, "lang-fallback");
    await useModel(workspaceId, englishOnly);
    const before = englishOnly.hitsOn("/v1/chat/completions").length;
    const { job, video } = await createVideo({ db, workspaceId, userId }, brief);
    const out = (await runScriptStep(job.id)) as { provider: string; fallbacks?: { provider: string; reason: string }[] };
    assert.equal(englishOnly.hitsOn("/v1/chat/completions").length - before, 2, "one answer and one repair, then no more");
    assert.equal(out.provider, "offline");
    assert.deepEqual(
      out.fallbacks?.map((f) => f.provider),
      ["openai"],
    );
    assert.match(out.fallbacks![0]!.reason, /script stage: the answer was in English, expected Spanish \(es\), still after a repair round/);
    const script = await storedScript(video.id);
    assert.equal(script.writer, "offline");
    // The offline writer says the brief's own Spanish sentences, and no English.
    assert.match(narrationOf(script), /Las abejas recogen el néctar de las flores durante todo el día\./);
    assert.equal(detectLanguage(narrationOf(script))?.code, "es");
    assert.doesNotMatch(narrationOf(script), /\b(the|what|about|here)\b/i);
  });
});
