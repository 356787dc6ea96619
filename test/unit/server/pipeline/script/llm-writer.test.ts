import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseScriptAnswer } from "../../../../../server/pipeline/script/llm-writer.ts";

const scene = (shots: unknown) => ({ title: "T", narration: "Words to say.", visualPrompt: "a harbour", keywords: ["harbour"], shots });
const answer = (shots: unknown[]) => JSON.stringify({ title: "Harbours", scenes: shots.map(scene) });

describe("shots in a model's script", () => {
  test("a shot is taken as an object or a bare string; none, or an empty list, leaves them to be derived", () => {
    const parsed = parseScriptAnswer(answer([[{ query: "ships at dawn" }, "cranes unloading"], [], undefined]), "test");
    assert.ok("script" in parsed, JSON.stringify(parsed));
    assert.deepEqual(
      parsed.script.scenes.map((s) => s.shots),
      [[{ query: "ships at dawn" }, { query: "cranes unloading" }], undefined, undefined],
    );
  });

  test("more than eight shots are cut to eight, not refused", () => {
    const parsed = parseScriptAnswer(answer([Array.from({ length: 11 }, (_, i) => `shot ${i}`), [], []]), "test");
    assert.ok("script" in parsed);
    assert.equal(parsed.script.scenes[0]!.shots!.length, 8);
  });

  test("a shot without words is refused by name, for the repair round", () => {
    const parsed = parseScriptAnswer(answer([[""], [], []]), "test");
    assert.ok("problems" in parsed);
    assert.match(parsed.problems, /scenes\.0\.shots\.0/);
  });
});
