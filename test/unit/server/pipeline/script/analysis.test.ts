import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { analyseScript, keyPoints, plannedWpm, readingGrade, sceneMood, speakingWpm, speechRate } from "../../../../../server/pipeline/script/analysis.ts";
import { styledPrompt } from "../../../../../server/pipeline/script/style.ts";
import type { Script } from "../../../../../server/pipeline/script/types.ts";
import { scene } from "../../../../helpers/scripts.ts";

describe("content complexity and pace", () => {
  test("a harder text has a higher reading grade and a slower voice; young audiences get slower voices, experts faster", () => {
    const easy = readingGrade("The cat sat on the mat. It was warm. The sun was out.");
    const hard = readingGrade(
      "Photosynthetic organisms convert electromagnetic radiation into chemical energy through sophisticated biochemical pathways involving chlorophyll.",
    );
    assert.ok(easy < 3, String(easy));
    assert.ok(hard > 14, String(hard));
    assert.ok(speakingWpm(hard, "adults") < speakingWpm(easy, "adults"));
    assert.ok(speakingWpm(8, "children aged 8") < speakingWpm(8, "adults"));
    assert.ok(speakingWpm(8, "software engineers") > speakingWpm(8, "adults"));
    assert.equal(speechRate(165), 1);
    assert.ok(plannedWpm({ topic: "Bees", audience: "kids" }) < plannedWpm({ topic: "Bees", audience: "engineers" }));
  });

  test("scene analysis: key points, mood from the words, visual keywords from the picture prompt", () => {
    assert.equal(sceneMood({ narration: "The danger is real: colonies fail every winter.", role: "body" }, "friendly"), "tense");
    assert.equal(sceneMood({ narration: "Bees make honey.", role: "body" }, "playful"), "playful");
    assert.deepEqual(keyPoints("Bees make honey. Honey keeps for years because bees dry it. The end."), [
      "Bees make honey.",
      "Honey keeps for years because bees dry it.",
    ]);
    const script: Script = {
      title: "t",
      writer: "w",
      scenes: [scene("What do bees do all day?"), scene("Bees make honey from nectar."), scene("Now you know.")].map((s, i) => ({
        ...s,
        role: (["hook", "body", "close"] as const)[i]!,
      })),
    };
    const analysed = analyseScript(script, { audience: "kids", tone: "friendly" });
    assert.ok(analysed.pace && analysed.pace.wpm < 165);
    assert.ok(analysed.scenes[1]!.keywords.includes("honeycomb"));
    assert.ok(analysed.scenes.every((s) => s.mood && s.keyPoints?.length));
    assert.match(styledPrompt("bees", "warm", "tense"), /Mood: tense\./);
  });
});
