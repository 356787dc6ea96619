import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { estimateSpeechSec, planSceneCount, sceneDurationSec, TRANSITION_SEC } from "../../../../../server/pipeline/pacing.ts";
import { extractSubject, writeOfflineScript } from "../../../../../server/pipeline/script/offline-writer.ts";
import { extractKeywords } from "../../../../../server/text/keywords.ts";
import { coffeeBrief as brief } from "../../../../helpers/briefs.ts";

describe("offline script writer", () => {
  test("has a hook, a body and a close, titled from the prompt", () => {
    const script = writeOfflineScript(brief());
    assert.equal(script.title, "The History of Coffee");
    assert.equal(script.scenes[0]!.role, "hook");
    assert.equal(script.scenes.at(-1)!.role, "close");
    assert.ok(script.scenes.slice(1, -1).every((s) => s.role === "body"));
    assert.equal(script.scenes.length, planSceneCount(60));
    assert.match(script.scenes[0]!.narration, /history of coffee/i);
    assert.equal(script.writer, "offline");
  });

  test("turns the prompt's own sentences into body scenes, in order", () => {
    const script = writeOfflineScript(
      brief({ topic: "How solar panels work. Photons knock electrons loose in silicon. Inverters convert DC to AC.", targetLengthSec: 45 }),
    );
    const body = script.scenes.filter((s) => s.role === "body");
    assert.match(body[0]!.narration, /^Photons knock electrons loose in silicon\./);
    assert.match(body[1]!.narration, /^Inverters convert DC to AC\./);
    assert.equal(body[0]!.title, "Photons Knock Electrons Loose in Silicon");
    // A "how ..." subject reads as "this topic" inside other sentences, never as a broken clause.
    assert.ok(!script.scenes.some((s) => /that how solar/i.test(s.narration)));
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

  test("paces narration so the video lands near its target length", () => {
    for (const target of [15, 30, 60, 120, 180]) {
      const script = writeOfflineScript(brief({ targetLengthSec: target }));
      const durations = script.scenes.map((s) => sceneDurationSec(estimateSpeechSec(s.narration)));
      const total = durations.reduce((a, d) => a + d, 0) - TRANSITION_SEC * (durations.length - 1);
      assert.ok(total > target * 0.6 && total < target * 1.4, `target ${target}s, estimated ${total.toFixed(1)}s`);
    }
  });

  test("extracts the subject and keywords of a request", () => {
    assert.equal(extractSubject("Make a short video about the water cycle."), "the water cycle");
    assert.equal(extractSubject("Explain black holes to kids"), "black holes to kids");
    assert.deepEqual(extractKeywords("Bees, bees and honey: why bees make honey")[0], "bees");
  });
});
