// The offline writer on thirty briefs (one word to a long article, 15 s to 180 s, every tone,
// with and without the workspace's passages): no sentence said twice, no stock sentence used
// twice, every scene says something, the arc holds, a thin brief makes a shorter video (and
// says why) instead of padding, and a rich one reaches about its target.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { plannedWpm } from "../../../../../server/pipeline/script/analysis.ts";
import { estimatedLengthSec, repairArc, validateArc } from "../../../../../server/pipeline/script/arc.ts";
import { normaliseSentence, splitSentences } from "../../../../../server/pipeline/script/material.ts";
import { writeOfflineScript } from "../../../../../server/pipeline/script/offline-writer.ts";
import { scriptSchema, shortenedNotice } from "../../../../../server/pipeline/script/types.ts";
import { countWords } from "../../../../../server/pipeline/pacing.ts";
import { WRITER_CASES } from "../../../../helpers/writer-briefs.ts";

const wordsOf = (text: string) => normaliseSentence(text).split(" ").filter(Boolean);

/** A sentence without the words the brief gave: what a template added. Two sentences with
 *  the same skeleton are one stock sentence said twice, whatever phrase sits in it. */
function skeleton(sentence: string, source: Set<string>) {
  return wordsOf(sentence)
    .filter((w) => !source.has(w))
    .join(" ");
}

describe("offline writer on thirty briefs", () => {
  for (const c of WRITER_CASES) {
    test(`${c.name} (${c.brief.tone})`, () => {
      const script = writeOfflineScript(c.brief, { passages: c.passages });
      scriptSchema.parse(script);
      assert.deepEqual(writeOfflineScript(c.brief, { passages: c.passages }), script, "deterministic");
      const wpm = plannedWpm(c.brief);
      const sentences = script.scenes.flatMap((s) => splitSentences(s.narration, 1));
      const source = new Set(wordsOf([c.brief.topic, c.brief.audience, ...c.passages].join(" ")));

      // Every scene says something, in a hook → body → close arc.
      assert.equal(script.scenes[0]!.role, "hook");
      assert.equal(script.scenes.at(-1)!.role, "close");
      assert.ok(script.scenes.length >= 3);
      for (const s of script.scenes) assert.ok(countWords(s.narration) >= 3, `${s.id} says: "${s.narration}"`);

      // No sentence twice, no stock sentence twice.
      const seen = new Map<string, string>();
      for (const sentence of sentences) {
        const key = normaliseSentence(sentence);
        assert.ok(!seen.has(key), `said twice: "${sentence}"`);
        seen.set(key, sentence);
      }
      const frames = new Map<string, string>();
      for (const sentence of sentences) {
        const frame = skeleton(sentence, source);
        if (frame.split(" ").length < 2) continue;
        assert.ok(!frames.has(frame), `stock sentence used twice: "${frames.get(frame)}" and "${sentence}"`);
        frames.set(frame, sentence);
      }

      // The arc holds at the length the script plans: nothing to repair, nothing padded back.
      const target = { targetLengthSec: script.shortened?.plannedSec ?? c.brief.targetLengthSec, wpm };
      const issues = validateArc(script, target).filter((i) => i.code !== "too-long");
      assert.deepEqual(issues, [], issues.map((i) => i.message).join("; "));
      const repaired = repairArc(script, target).script;
      assert.ok(countWords(repaired.scenes.map((s) => s.narration).join(" ")) <= countWords(sentences.join(" ")), "the repair adds nothing");

      const planned = estimatedLengthSec(script.scenes, wpm);
      if (c.expect === "thin") {
        assert.ok(script.shortened, `a thin brief is marked shortened (about ${planned.toFixed(0)} s for ${c.brief.targetLengthSec} s)`);
      }
      if (c.expect === "rich") {
        assert.equal(script.shortened, undefined, `a rich brief is not shortened: ${JSON.stringify(script.shortened)}`);
        assert.ok(
          planned >= c.brief.targetLengthSec * 0.8 && planned <= c.brief.targetLengthSec * 1.25,
          `about ${planned.toFixed(0)} s for ${c.brief.targetLengthSec} s`,
        );
      }
      if (script.shortened) {
        const s = script.shortened;
        assert.equal(s.targetSec, c.brief.targetLengthSec);
        assert.equal(s.plannedSec, Math.round(planned));
        assert.ok(planned < c.brief.targetLengthSec * 0.8);
        assert.match(s.reason, /gave enough material for about \d+ s/);
        assert.match(shortenedNotice(s), new RegExp(`^This video is about ${s.plannedSec} s, not the ${s.targetSec} s asked for`));
        // Not padded: the body says the brief's own sentences, or one short sentence around
        // one of its phrases, and nothing else.
        const own = new Set(splitSentences([c.brief.topic, ...c.passages].join("\n"), 1).map(normaliseSentence));
        for (const scene of script.scenes.filter((x) => x.role === "body")) {
          for (const sentence of splitSentences(scene.narration, 1)) {
            if (own.has(normaliseSentence(sentence))) continue;
            const added = skeleton(sentence, source).split(" ").filter(Boolean);
            assert.ok(added.length <= 6 && added.length < wordsOf(sentence).length, `body sentence not from the brief: "${sentence}"`);
          }
        }
      }
    });
  }

  test("the set covers thin and rich briefs, every tone and every length band", () => {
    const tones = new Set(WRITER_CASES.map((c) => c.brief.tone));
    assert.equal(WRITER_CASES.length, 30);
    assert.equal(tones.size, 5);
    const shortened = WRITER_CASES.filter((c) => writeOfflineScript(c.brief, { passages: c.passages }).shortened).length;
    assert.ok(shortened >= 10 && shortened <= 25, `${shortened} of 30 shortened`);
    for (const [lo, hi] of [
      [15, 30],
      [45, 90],
      [120, 180],
    ] as const)
      assert.ok(WRITER_CASES.some((c) => c.brief.targetLengthSec >= lo && c.brief.targetLengthSec <= hi));
  });
});
