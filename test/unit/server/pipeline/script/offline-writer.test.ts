import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { plannedWpm } from "../../../../../server/pipeline/script/analysis.ts";
import { estimatedLengthSec } from "../../../../../server/pipeline/script/arc.ts";
import { nounPhrases, splitSentences, statementSubject } from "../../../../../server/pipeline/script/material.ts";
import { CLOSES, HOOKS, NOUN_FRAMES, TRANSITIONS, VERB_FRAMES } from "../../../../../server/pipeline/script/offline-templates.ts";
import { extractSubject, writeOfflineScript } from "../../../../../server/pipeline/script/offline-writer.ts";
import { extractKeywords } from "../../../../../server/text/keywords.ts";
import { TONES } from "../../../../../server/videos/brief.ts";
import { coffeeBrief as brief } from "../../../../helpers/briefs.ts";
import { WRITER_CASES } from "../../../../helpers/writer-briefs.ts";

const article = (name: string) => WRITER_CASES.find((c) => c.name === name)!.brief.topic;

describe("offline script writer", () => {
  test("has a hook, a body and a close, titled from the prompt", () => {
    const script = writeOfflineScript(brief());
    assert.equal(script.title, "The History of Coffee");
    assert.equal(script.scenes[0]!.role, "hook");
    assert.equal(script.scenes.at(-1)!.role, "close");
    assert.ok(script.scenes.slice(1, -1).every((s) => s.role === "body"));
    assert.match(script.scenes[0]!.narration, /history of coffee/i);
    assert.equal(script.writer, "offline");
  });

  test("says the prompt's own sentences in the body, in order, each once", () => {
    const script = writeOfflineScript(
      brief({ topic: "How solar panels work. Photons knock electrons loose in silicon. Inverters convert DC to AC.", targetLengthSec: 30 }),
    );
    const body = script.scenes
      .filter((s) => s.role === "body")
      .map((s) => s.narration)
      .join(" ");
    assert.match(body, /^Photons knock electrons loose in silicon\. .*Inverters convert DC to AC\./);
    assert.equal(body.split("Photons knock").length, 2, "said once");
    assert.equal(script.scenes[1]!.title, "Photons Knock Electrons Loose in Silicon");
    // A "how ..." subject sits where a clause reads well ("about how solar panels work").
    assert.ok(!script.scenes.some((s) => /that how solar/i.test(s.narration)));
  });

  test("a topic that opens with a statement is about its noun phrase, and the statement is said", () => {
    const script = writeOfflineScript(brief({ topic: article("article, 60 s"), targetLengthSec: 60 }));
    assert.equal(script.title, "The History of Coffee");
    assert.match(script.scenes[1]!.narration, /^The history of coffee begins in the highlands of Ethiopia\./);
    assert.doesNotMatch(script.scenes[0]!.narration, /coffee begins/);
  });

  test("uses the prompt's key words, leaves no template gaps and is deterministic", () => {
    const b = brief({ topic: "Volcanoes and volcanic eruptions: magma, pressure and ash clouds", tone: "serious" });
    const script = writeOfflineScript(b);
    const text = script.scenes.map((s) => s.narration + s.title + s.visualPrompt).join(" ");
    assert.match(text, /volcan/i);
    assert.match(text, /magma|pressure/i);
    assert.doesNotMatch(text, /undefined|\$\{|null/);
    assert.deepEqual(writeOfflineScript(b), script);
    for (const s of script.scenes) assert.match(s.visualPrompt, /^modern style/);
  });

  test("a brief with material to spare lands near its target length, from 15 s to 180 s", () => {
    const passages = [article("article, 90 s"), article("article, 30 s")];
    for (const target of [15, 30, 60, 90, 120, 180]) {
      const b = brief({ topic: article("article, 60 s"), targetLengthSec: target });
      const script = writeOfflineScript(b, { passages });
      const total = estimatedLengthSec(script.scenes, plannedWpm(b));
      assert.equal(script.shortened, undefined, `target ${target} s`);
      assert.ok(total > target * 0.8 && total < target * 1.25, `target ${target} s, estimated ${total.toFixed(1)} s`);
    }
  });

  test("a thin brief gives a shorter video that says why, not a padded one", () => {
    const short = writeOfflineScript(brief({ topic: "Lighthouses", targetLengthSec: 120 }));
    assert.equal(short.scenes.length, 3);
    assert.deepEqual(Object.keys(short.shortened ?? {}), ["targetSec", "plannedSec", "reason"]);
    assert.equal(short.shortened!.targetSec, 120);
    assert.ok(short.shortened!.plannedSec < 30, `${short.shortened!.plannedSec} s`);
    assert.equal(short.shortened!.reason, `the brief gave enough material for about ${short.shortened!.plannedSec} s`);
    // The same brief with the workspace's passages has more to say, and says so in its reason.
    const passage = "Lighthouses guide ships past rocks and into harbours. Each light flashes its own pattern, so sailors can tell them apart at night.";
    const more = writeOfflineScript(brief({ topic: "Lighthouses", targetLengthSec: 120 }), { passages: [passage] });
    assert.ok(more.shortened!.plannedSec > short.shortened!.plannedSec);
    assert.match(more.shortened!.reason, /^the brief and its documents gave/);
    assert.match(more.scenes.map((s) => s.narration).join(" "), /Each light flashes its own pattern/);
  });
});

describe("the writer's stock sentences", () => {
  // Awkward phrases: a plural, an acronym, a long phrase, a proper noun, a phrase starting with a verb.
  const AWKWARD = ["bees", "DNA", "the long and winding history of coffee in Europe", "Marie Curie", "reduce waste at home"];
  const templates = [...TONES.flatMap((t) => [...HOOKS[t], ...CLOSES[t], ...TRANSITIONS[t]]), ...NOUN_FRAMES, ...VERB_FRAMES];

  test("put a phrase only where any phrase reads well: no article before it, no verb that must agree after it", () => {
    for (const phrase of AWKWARD) {
      for (const t of templates) {
        const sentence = t({ subject: phrase, audience: "curious adults", phrase, other: "" });
        for (let at = sentence.indexOf(phrase); at >= 0; at = sentence.indexOf(phrase, at + 1)) {
          const before = sentence.slice(0, at);
          const after = sentence.slice(at + phrase.length);
          assert.doesNotMatch(before, /\b(a|an|is|are)\s$/i, `"${sentence}"`);
          assert.doesNotMatch(after, /^\s+(is|are|was|were|has|have|does|do|deserves?|matters?|shapes?|rests?)\b/i, `"${sentence}"`);
          assert.match(before, /(^|\b(about|to|of|at|on|by|for|with|through|consider|exploring|understand|see|give|keep|wondered)\s|: |, )$/i, `"${sentence}"`);
        }
        assert.match(sentence, /[.!?]$/);
      }
    }
  });

  test("a verb phrase gets a frame after a colon, a noun phrase one after a preposition or verb", () => {
    for (const frame of VERB_FRAMES) assert.match(frame({ subject: "", audience: "", phrase: "reduce waste at home", other: "" }), /: reduce waste at home\.$/);
    const nouns = NOUN_FRAMES.map((f) => f({ subject: "", audience: "", phrase: "DNA", other: "" }));
    assert.equal(new Set(nouns).size, NOUN_FRAMES.length);
    for (const s of nouns) assert.ok(s.split(/\s+/).length >= 5, `"${s}" is a scene's worth of words`);
  });
});

describe("the writer's material", () => {
  test("sentences by Unicode's rules: list items, numbered items, other scripts' full stops", () => {
    assert.deepEqual(splitSentences("Zero waste:\n- reduce waste at home\n2) Buy in bulk\nIt saves money. It saves space!"), [
      "Zero waste.",
      "Reduce waste at home.",
      "Buy in bulk.",
      "It saves money.",
      "It saves space!",
    ]);
    assert.deepEqual(splitSentences("中文标题测试。第二句很短。"), ["中文标题测试。", "第二句很短。"]);
  });

  test("noun phrases: plurals, acronyms and proper nouns as written, an instruction marked as one", () => {
    const phrases = nounPhrases("Photons knock electrons loose in silicon. Inverters convert DC to AC. Marie Curie won twice.\n- Reduce waste at home");
    const texts = phrases.map((p) => p.text);
    for (const expected of ["photons", "silicon", "inverters", "DC", "AC", "Marie Curie", "reduce waste at home"])
      assert.ok(texts.includes(expected), `${expected} in ${texts}`);
    assert.equal(phrases.find((p) => p.text === "reduce waste at home")!.verb, true);
    assert.equal(phrases.find((p) => p.text === "photons")!.verb, false);
    assert.equal(new Set(texts.map((t) => t.toLowerCase())).size, texts.length, "each once");
  });

  test("the subject of a statement, none for a phrase or a question", () => {
    assert.equal(statementSubject("The history of coffee begins in the highlands of Ethiopia"), "The history of coffee");
    assert.equal(statementSubject("A lithium-ion battery stores energy"), "A lithium-ion battery");
    assert.equal(statementSubject("Facts about the Moon"), null);
    assert.equal(statementSubject("How tides work"), null);
    assert.equal(statementSubject("The surprising ways that ancient Roman engineers built roads"), null);
  });

  test("extracts the subject and keywords of a request", () => {
    assert.equal(extractSubject("Make a short video about the water cycle."), "the water cycle");
    assert.equal(extractSubject("Explain black holes to kids"), "black holes to kids");
    assert.equal(extractSubject("Tides. The moon pulls the oceans."), "Tides", "a one-word first sentence is the subject");
    assert.deepEqual(extractKeywords("Bees, bees and honey: why bees make honey")[0], "bees");
  });
});
