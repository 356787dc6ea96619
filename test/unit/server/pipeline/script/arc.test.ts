import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { estimatedLengthSec, MAX_LENGTH_RATIO, repairArc, validateArc } from "../../../../../server/pipeline/script/arc.ts";
import type { Script } from "../../../../../server/pipeline/script/types.ts";
import { scene, words } from "../../../../helpers/scripts.ts";

describe("narrative arc", () => {
  const target = { targetLengthSec: 60, wpm: 160 } as const;
  const broken: Script = {
    title: "Bees",
    writer: "test",
    scenes: [
      { ...scene(words(25)), role: "close" }, // roles are wrong
      scene(words(150, 10)), // far too long
      scene("Bees."), // a middle scene that says nothing
      scene(words(30, 40)),
      scene(words(30, 40)), // repeats the one before
      { ...scene(words(20, 80)), role: "hook" },
    ],
  };

  test("the validator names what is wrong", () => {
    const codes = validateArc(broken, target).map((i) => `${i.code}${i.sceneId ? `:${i.sceneId}` : ""}`);
    assert.ok(codes.includes("duplicate:x"));
    assert.ok(codes.includes("too-long:x"));
    assert.ok(codes.includes("too-short:x"));
    assert.ok(codes.includes("total-long"));
  });

  test("the repair fixes roles, repeats, length and balance, and says what it did", () => {
    const { script, repairs, issues } = repairArc(broken, target);
    assert.deepEqual(issues, [], JSON.stringify(issues));
    assert.equal(script.scenes[0]!.role, "hook");
    assert.equal(script.scenes.at(-1)!.role, "close");
    assert.ok(script.scenes.slice(1, -1).every((s) => s.role === "body"));
    assert.deepEqual(
      script.scenes.map((s) => s.id),
      script.scenes.map((_, i) => `scene-${i + 1}`),
    );
    assert.equal(new Set(script.scenes.map((s) => s.narration)).size, script.scenes.length, "no repeated scene");
    assert.ok(!script.scenes.some((s) => s.narration === "Bees."), "the empty scene was merged");
    const length = estimatedLengthSec(script.scenes, target.wpm);
    assert.ok(length <= 60 * 1.25, String(length));
    assert.ok(repairs.some((r) => r.startsWith("removed scene 5")));
    assert.ok(repairs.some((r) => r.startsWith("merged scene")));
    assert.ok(repairs.some((r) => r.startsWith("split scene") || r.startsWith("shortened scene")));
  });

  test("a sound script is left as it is", () => {
    const sound: Script = {
      title: "Bees",
      writer: "test",
      scenes: [words(22), words(33, 10), words(33, 20), words(22, 30)].map((n, i, all) => ({
        ...scene(n),
        id: `scene-${i + 1}`,
        role: i === 0 ? "hook" : i === all.length - 1 ? "close" : "body",
      })),
    };
    const { script, repairs } = repairArc(sound, { targetLengthSec: 45, wpm: 160 });
    assert.deepEqual(repairs, []);
    assert.deepEqual(script, sound);
  });

  test("what no sentence boundary can fix is cut: one long sentence, or unspaced Chinese, cannot make a 15 s video long", () => {
    const short = { targetLengthSec: 15, wpm: 160 } as const;
    const oneSentence = `${words(120, 200).replace(/[.!?]/g, "").replace(/\s+$/, "")}.`;
    const chinese = `${"潮汐每天两次".repeat(50)}。`;
    for (const middle of [oneSentence, chinese]) {
      const script: Script = { title: "Tides", writer: "test", scenes: [scene(words(8, 1)), scene(middle), scene(words(8, 300))] };
      const { script: repaired, repairs } = repairArc(script, short);
      const planned = estimatedLengthSec(repaired.scenes, short.wpm);
      assert.ok(planned <= 15 * MAX_LENGTH_RATIO, `about ${planned.toFixed(1)} s after: ${repairs.join("; ")}`);
      assert.ok(
        repairs.some((r) => /^cut scene 2 from \d+ to \d+ words$/.test(r)),
        repairs.join("; "),
      );
      assert.match(repaired.scenes[1]!.narration, middle === chinese ? /^潮汐.*。$/ : /^\w.*\.$/, "the cut narration still ends as a sentence");
    }
  });
});
