// The offline English voices and the forced aligner with the real festival, flite, espeak-ng,
// pocketsphinx and FFmpeg: festival's own word times, flite's speech aligned to its text, the
// speaking rate changing the length, hostile text only ever spoken, the aligner against
// festival's own times, and the narration step saying how its words were timed, falling back
// to espeak-ng (recorded) when festival is missing. Then other languages: a Spanish and a
// Chinese narration spoken by espeak-ng as long as pacing estimated and recorded with their
// voice, and a Thai one that passes over a configured ElevenLabs v2 link without calling it.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { VOICE_PASSAGES } from "../../bench/voice-passages.ts";
import { setTestEnv } from "../helpers/env.ts";
import { startFakeElevenLabs } from "../helpers/fake-providers.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";

// The fake ElevenLabs server listens on this machine.
const env = setTestEnv({ PROVIDER_PRIVATE_HOSTS: "127.0.0.1:*" });
// festival is reached through a link the last test removes, to see the chain fall back.
const binDir = path.join(env.dir, "bin");
mkdirSync(binDir);
const festivalLink = path.join(binDir, "festival");
symlinkSync("/usr/bin/festival", festivalLink);
process.env.FESTIVAL_BINARY = festivalLink;
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const { synthesizeFestival } = await import("../../server/providers/tts/festival.ts");
const { synthesizeFlite } = await import("../../server/providers/tts/flite.ts");
const { ProviderError } = await import("../../server/providers/errors.ts");
const { alignSpeech } = await import("../../server/pipeline/narration/align-speech.ts");
const { runNarrationStep, runScriptStep } = await import("../../server/pipeline/index.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { readJsonObject } = await import("../../server/storage/store.ts");
const { estimateSpeechSec } = await import("../../server/pipeline/pacing.ts");
const { makeSpeakable } = await import("../../server/pipeline/narration/speakable.ts");
const { saveProviderSetting, removeProviderSetting } = await import("../../server/providers/settings.ts");

const db = getDb();
const festival = (text: string, rate = 1) => synthesizeFestival(text, { binary: festivalLink, rate });
const flite = (text: string, rate = 1) => synthesizeFlite(text, "rms", { binary: "flite", rate });
const wordsOf = (text: string) => text.split(/\s+/).filter(Boolean);

after(async () => {
  await db.$disconnect();
  await database.drop();
  rmSync(env.dir, { recursive: true, force: true });
});

describe("offline voices", () => {
  test("festival says when it said each word", async () => {
    const text = VOICE_PASSAGES[0];
    const speech = await festival(text);
    const words = speech.words!;
    assert.deepEqual(
      words.map((w) => w.word.toLowerCase()),
      wordsOf(text).map((w) => w.toLowerCase().replace(/[.,]/g, "")),
    );
    for (let i = 0; i < words.length; i++) {
      assert.ok(words[i]!.endSec >= words[i]!.startSec);
      if (i) assert.ok(words[i]!.startSec >= words[i - 1]!.startSec, `word ${i} starts before the one before it`);
    }
    assert.ok(words.at(-1)!.endSec <= speech.durationSec + 0.01, `${words.at(-1)!.endSec} > ${speech.durationSec}`);
    assert.ok(speech.durationSec > 15, `56 words in ${speech.durationSec} s`);
  });

  test("flite's speech gets aligned words, one per written word, in order and inside the audio", async () => {
    const text = VOICE_PASSAGES[1];
    const speech = await flite(text);
    assert.equal(speech.words, undefined, "flite gives no word times of its own");
    const aligned = (await alignSpeech(speech.wav, text))!;
    assert.deepEqual(
      aligned.map((w) => w.word),
      wordsOf(text),
    );
    for (let i = 1; i < aligned.length; i++) assert.ok(aligned[i]!.startSec >= aligned[i - 1]!.startSec, `word ${i} starts before the one before it`);
    assert.ok(aligned[0]!.startSec < 1, "the first word starts near the beginning");
    assert.ok(aligned.at(-1)!.endSec <= speech.durationSec + 0.01);
    assert.ok(aligned.at(-1)!.startSec > speech.durationSec - 2.5, "the last word starts near the end");
  });

  test("the speaking rate changes the length", async () => {
    const text = VOICE_PASSAGES[2];
    for (const speak of [festival, flite]) {
      const slow = await speak(text, 0.8);
      const fast = await speak(text, 1.25);
      const ratio = slow.durationSec / fast.durationSec;
      // 1.25 / 0.8 = 1.56 if the whole file scaled; leading and trailing silence scale less.
      assert.ok(ratio > 1.4 && ratio < 1.7, `slow ${slow.durationSec} s, fast ${fast.durationSec} s`);
    }
  });

  test("at rate 1 both voices speak at about 165 words a minute", async () => {
    const text = VOICE_PASSAGES[0];
    for (const speak of [festival, flite]) {
      const wpm = (wordsOf(text).length / (await speak(text)).durationSec) * 60;
      assert.ok(wpm > 150 && wpm < 180, `${Math.round(wpm)} words a minute`);
    }
  });

  test("hostile text is only ever spoken", async () => {
    const marker = path.join(env.dir, "pwned");
    const hostile = [
      `-v Hello "there"); (system "touch ${marker}") ; (print "x`,
      `back\\slash \\" quote ) ( ; semicolon`,
      "--help",
      `new\nline (quit) ' " done`,
    ].join("\n");
    const spoken = await festival(hostile);
    assert.ok(spoken.durationSec > 3);
    assert.ok(
      spoken.words!.some((w) => w.word === "system"),
      "the Scheme in the text was read out as words",
    );
    const male = await flite(hostile);
    assert.ok(male.durationSec > 3);
    assert.equal(existsSync(marker), false, "nothing in the text ran");
    const aligned = await alignSpeech(male.wav, hostile);
    assert.equal(aligned?.length, wordsOf(hostile).length);
  });

  test("a missing binary is a config error naming it", async () => {
    await assert.rejects(synthesizeFestival("Hello there.", { binary: "/nonexistent/festival" }), (e: InstanceType<typeof ProviderError>) => {
      assert.equal(e.kind, "config");
      assert.match(e.message, /\/nonexistent\/festival could not run: ENOENT/);
      return true;
    });
    await assert.rejects(
      synthesizeFlite("Hello there.", "rms", { binary: "/nonexistent/flite" }),
      (e: InstanceType<typeof ProviderError>) => e.kind === "config",
    );
  });
});

describe("alignment against festival's own word times", () => {
  // Measured here: 20 ms mean, 115 ms worst over the three passages (bench:voices).
  const MEAN_MS = 40;
  const WORST_MS = 250;
  test(`word starts within ${MEAN_MS} ms on average and ${WORST_MS} ms at worst`, async () => {
    const errors: number[] = [];
    for (const text of VOICE_PASSAGES) {
      const speech = await festival(text);
      const aligned = (await alignSpeech(speech.wav, text))!;
      assert.equal(aligned.length, speech.words!.length);
      errors.push(...aligned.map((w, i) => Math.abs(w.startSec - speech.words![i]!.startSec) * 1000));
    }
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    const worst = Math.max(...errors);
    assert.ok(mean < MEAN_MS, `mean ${mean.toFixed(1)} ms`);
    assert.ok(worst < WORST_MS, `worst ${worst.toFixed(0)} ms`);
  });
});

describe("the narration step", () => {
  let workspaceId: string;
  let userId: string;
  before(async () => {
    ({ workspaceId, userId } = await createOwner(db, "voices"));
  });
  const narrate = async (voice: string) => {
    const brief = briefSchema.parse({
      topic: "How rivers shape valleys. Water cuts the rock slowly. Floods carry stones far away.",
      audience: "students",
      tone: "informative",
      targetLengthSec: 15,
      aspectRatio: "16:9",
      voice,
      visualStyle: "modern",
      music: "none",
    });
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    await runScriptStep(job.id);
    return runNarrationStep(job.id, 0);
  };
  const storedWords = async (key: string) => (await readJsonObject(key)) as { word: string; startSec: number }[];

  test("a female voice is festival's and timed by the voice; a male one is flite's and aligned", async () => {
    const female = await narrate("en-us-female");
    assert.deepEqual([female.provider, female.timing], ["festival", "voice"]);
    assert.ok((await storedWords(female.wordsKey!)).length > 3);
    const male = await narrate("en-gb-male");
    assert.deepEqual([male.provider, male.timing], ["flite", "aligned"]);
    const words = await storedWords(male.wordsKey!);
    assert.ok(words.length > 3 && words.at(-1)!.startSec < male.durationSec);
  });

  test("with festival missing, espeak-ng speaks and the fallback is recorded", async () => {
    rmSync(festivalLink);
    try {
      const out = await narrate("en-us-female");
      assert.equal(out.provider, "espeak-ng");
      const fallbacks = (out as { fallbacks?: { provider: string; reason: string }[] }).fallbacks ?? [];
      assert.deepEqual(
        fallbacks.map((f) => f.provider),
        ["festival"],
      );
      assert.match(fallbacks[0]!.reason, /festival could not run: ENOENT/);
      assert.ok(["aligned", "estimated"].includes(out.timing));
    } finally {
      symlinkSync("/usr/bin/festival", festivalLink);
    }
  });
});

describe("the narration step in other languages", () => {
  let workspaceId: string;
  let userId: string;
  before(async () => {
    ({ workspaceId, userId } = await createOwner(db, "languages"));
  });
  /** A video of the brief with a fixed three-scene script (no writer involved), its first scene narrated. */
  const narrate = async (brief: { language: string; voice: string; topic: string }, narrations: [string, string, string]) => {
    const parsed = briefSchema.parse({
      ...brief,
      audience: "students",
      tone: "informative",
      targetLengthSec: 30,
      aspectRatio: "16:9",
      visualStyle: "modern",
      music: "none",
    });
    const { video, job } = await createVideo({ db, workspaceId, userId }, parsed);
    const roles = ["hook", "body", "close"] as const;
    const scenes = narrations.map((narration, i) => ({
      id: `s${i + 1}`,
      role: roles[i]!,
      title: `${i + 1}`,
      narration,
      visualPrompt: "a river",
      keywords: ["river"],
    }));
    await db.video.update({ where: { id: video.id }, data: { script: { title: "test", scenes, writer: "test" } } });
    return runNarrationStep(job.id, 0);
  };
  const within = (measured: number, estimate: number, share: number) =>
    assert.ok(Math.abs(measured - estimate) / measured < share, `spoken ${measured.toFixed(2)} s, estimated ${estimate.toFixed(2)} s`);

  test("Spanish: espeak-ng speaks as long as pacing estimated and the voice is recorded", async () => {
    const narration = "Los ríos dan forma a los valles. El agua corta la roca muy despacio durante miles de años, y las crecidas llevan las piedras lejos.";
    const out = await narrate({ language: "es", voice: "es-female", topic: "Cómo los ríos dan forma a los valles." }, [
      narration,
      "El agua corta la roca.",
      "Fin.",
    ]);
    assert.equal(out.provider, "espeak-ng");
    assert.deepEqual([out.voice, out.language, out.speaker], ["es-female", "es", "es+f3"]);
    assert.equal(out.timing, "estimated");
    assert.match(out.timingNote ?? "", /no aligner for language es/);
    within(out.durationSec, estimateSpeechSec(makeSpeakable(narration, "es"), undefined, "es"), 0.2);
  });

  test("Chinese: espeak-ng reads Mandarin as long as pacing estimated by characters", async () => {
    const narration = "河流塑造了山谷。河水用几千年的时间慢慢切开岩石，洪水把石头带到很远的地方。";
    const out = await narrate({ language: "zh", voice: "zh-male", topic: "河流如何塑造山谷。" }, [narration, "河水切开岩石。", "结束。"]);
    assert.equal(out.provider, "espeak-ng");
    assert.deepEqual([out.voice, out.language, out.speaker], ["zh-male", "zh", "cmn-latn-pinyin"]);
    within(out.durationSec, estimateSpeechSec(makeSpeakable(narration, "zh"), undefined, "zh"), 0.2);
  });

  test("Thai: a configured ElevenLabs multilingual v2 voice is passed over, never called", async () => {
    const eleven = await startFakeElevenLabs();
    try {
      await saveProviderSetting({ db, workspaceId }, { capability: "voice", provider: "elevenlabs", baseUrl: eleven.url, apiKey: "el-test-key" });
      const out = await narrate({ language: "th", voice: "th-female", topic: "แม่น้ำสร้างหุบเขาได้อย่างไร" }, [
        "แม่น้ำค่อยๆ กัดเซาะหินเป็นเวลาหลายพันปี",
        "น้ำท่วมพาหินไปไกล",
        "จบ",
      ]);
      assert.equal(out.provider, "espeak-ng");
      assert.deepEqual(out.fallbacks, [{ provider: "elevenlabs", reason: "does not speak Thai" }]);
      assert.equal(eleven.hitsOn("/v1/text-to-speech").length, 0, "ElevenLabs was asked to speak Thai");
      // The same link speaks a Spanish narration: the skip was the language's, not the link's.
      const spanish = await narrate({ language: "es", voice: "es-male", topic: "Cómo los ríos dan forma a los valles." }, [
        "El agua corta la roca.",
        "Dos.",
        "Tres.",
      ]);
      assert.equal(spanish.provider, "elevenlabs");
      assert.equal(eleven.hitsOn("/v1/text-to-speech").length, 1);
    } finally {
      await removeProviderSetting({ db, workspaceId }, "voice", "elevenlabs");
      await eleven.close();
    }
  });
});
