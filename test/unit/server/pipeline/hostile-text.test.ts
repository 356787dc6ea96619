// Hostile texts through every pure stage a brief passes: the edge (the brief's schema) either
// refuses one naming its field, or the offline script, the speakable narration, the cards and
// the render spec are all built from it without an error, and nothing in them is broken text.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderSpecSchema } from "@aura/render-contract";
import { makeSpeakable } from "../../../../server/pipeline/narration/speakable.ts";
import { analyseScript, plannedWpm } from "../../../../server/pipeline/script/analysis.ts";
import { estimatedLengthSec, MAX_LENGTH_RATIO, repairArc } from "../../../../server/pipeline/script/arc.ts";
import { writeOfflineScript } from "../../../../server/pipeline/script/offline-writer.ts";
import { scriptSchema } from "../../../../server/pipeline/script/types.ts";
import { buildRenderSpec } from "../../../../server/pipeline/timeline/build-spec.ts";
import { buildCardSvg, renderCardPng } from "../../../../server/pipeline/visuals/card.ts";
import { hasSpeakableWords, unusableTextReason } from "../../../../server/text/policy.ts";
import { briefSchema, resolveLanguage } from "../../../../server/videos/brief.ts";
import { sceneEditSchema } from "../../../../server/videos/service.ts";

export const HOSTILE_TOPICS = [
  `${"Why the ocean tides rise and fall twice a day along every coast of the world and what that means ".repeat(3)}. Sailors plan by them.`,
  `Emoji 😀🎉👩‍👩‍👧‍👦 ${"👩‍👩‍👧‍👦".repeat(40)} in a title. More text follows here now.`,
  "Control \u0007bell \u001b[31m escape \u000b vertical tab \u000c form feed \u0085 next line. Then more.",
  `One ${"A".repeat(300)} word. And more sentences here to fill the brief.`,
  `{\\b1}Bold\\N {}{} \\\\ backslashes. Another sentence with <svg onload="x"> & 'quotes' ]]> here.`,
  "Zero\u200bwidth\u200b spaces\u2060 and a right-to-left \u202e override. That is all.",
  `中文标题测试，这是一个很长的句子没有空格${"汉字".repeat(150)}。第二句。`,
  "مرحبا بالعالم. هذا نص عربي طويل عن المد والجزر.",
  "word ".repeat(400),
  "A perfectly ordinary topic about lighthouses and their keepers.",
];

function produce(topic: string) {
  // A male voice of the language the topic is written in (a Chinese topic gets a Chinese voice).
  const language = resolveLanguage({ topic, voice: "en-us-male" }).language ?? "en";
  const brief = briefSchema.parse({
    topic,
    audience: "everyone\u0007",
    tone: "informative",
    targetLengthSec: 15,
    aspectRatio: "9:16",
    voice: language === "en" ? "en-us-male" : `${language}-male`,
    visualStyle: "bold",
    titles: true,
    captionHighlight: true,
  });
  const arc = repairArc(writeOfflineScript(brief), { targetLengthSec: brief.targetLengthSec, wpm: plannedWpm(brief), language: brief.language });
  const script = scriptSchema.parse(analyseScript(arc.script, brief));
  // The length ordered is the length planned, whatever the topic holds.
  const planned = estimatedLengthSec(script.scenes, plannedWpm(brief), brief.language);
  assert.ok(
    planned <= brief.targetLengthSec * MAX_LENGTH_RATIO,
    `about ${planned.toFixed(1)} s planned for ${brief.targetLengthSec} s: ${arc.repairs.join("; ")}`,
  );
  for (const [i, scene] of script.scenes.entries()) {
    assert.ok(hasSpeakableWords(makeSpeakable(scene.narration, brief.language)), `scene ${i + 1} has words to speak: ${scene.narration}`);
    const card = { title: scene.title, label: script.title, index: i, total: script.scenes.length, style: brief.visualStyle, width: 270, height: 480 };
    assert.ok(renderCardPng(card).png.length > 0);
  }
  const media = script.scenes.map(() => ({ narrationKey: "a.wav", narrationSec: 4, imageKey: "a.png" }));
  const spec = renderSpecSchema.parse(buildRenderSpec({ brief, script, media, output: { video: "v.mp4", poster: "p.jpg" } }));
  for (const text of [JSON.stringify(script), JSON.stringify(spec)]) assert.equal(unusableTextReason(text), null, "no half of a surrogate pair anywhere");
  return { brief, script, spec };
}

describe("hostile texts", () => {
  for (const topic of HOSTILE_TOPICS) {
    test(`a brief of ${JSON.stringify(topic.slice(0, 28))}… becomes a script, cards and a render spec`, () => {
      const { brief, script } = produce(topic);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
      assert.doesNotMatch(brief.topic + brief.audience, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u, "control characters are normalised away at the edge");
      assert.ok(script.scenes.every((s) => s.title.length <= 120 && s.visualPrompt.length <= 500));
    });
  }

  test("what can never be a video is refused at the edge, naming the field", () => {
    const base = { audience: "all", tone: "informative", targetLengthSec: 15, aspectRatio: "9:16", voice: "en-us-male", visualStyle: "bold" };
    const refused = (data: object) => briefSchema.safeParse({ ...base, ...data }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    assert.deepEqual(refused({ topic: "!!! ??? ... --- ### ***" }), ["topic: Topic must contain words"]);
    assert.deepEqual(refused({ topic: "lighthouses\u0000" }), ["topic: Topic contains a NUL character"]);
    assert.deepEqual(refused({ topic: "lighthouses \uD83D" }), ["topic: Topic contains a broken character (half of a UTF-16 surrogate pair)"]);
    const edit = sceneEditSchema.safeParse({ videoId: "v", sceneId: "s", narration: "… — !!!", visualPrompt: "sea" });
    assert.deepEqual(
      edit.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      ["narration: Narration must contain words to speak"],
    );
  });

  test("a card with control characters or a lone surrogate in its title still renders", () => {
    const svg = buildCardSvg({ title: "bell\u0007 and \uD800 half", label: "x\u001b", index: 0, total: 1, style: "modern", width: 320, height: 180 });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
    assert.doesNotMatch(svg, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|\uD800/);
    assert.ok(renderCardPng({ title: "bell\u0007", label: "x\u001b", index: 0, total: 1, style: "modern", width: 320, height: 180 }).png.length);
  });

  test("one very long word or unspaced CJK narration becomes captions that fit a line and the spec", () => {
    const { brief, script } = produce("Lighthouses guided ships. Keepers lived inside them. Now most run themselves.");
    const long = { ...script, scenes: script.scenes.map((s, i) => (i === 1 ? { ...s, narration: `Visit ${"x".repeat(700)} now. ${"汉字".repeat(400)}` } : s)) };
    const media = long.scenes.map(() => ({ narrationKey: "a.wav", narrationSec: 6, imageKey: "a.png" }));
    const spec = renderSpecSchema.parse(buildRenderSpec({ brief, script: long, media, output: { video: "v.mp4", poster: "p.jpg" } }));
    assert.ok(spec.captions.cues.every((c) => c.text.length <= 84 && (c.words ?? []).every((w) => w.text.length <= 42)));
  });
});
