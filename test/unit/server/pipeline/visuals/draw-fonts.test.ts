// The offline card refuses words no installed font can draw, naming the scene as the job page
// does, before any picture is looked for; and its words follow the language's case rules.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ProviderError } from "../../../../../server/providers/errors.ts";
import type { ProviderConfig } from "../../../../../server/providers/types.ts";
import { writeOfflineScript } from "../../../../../server/pipeline/script/offline-writer.ts";
import { drawShot, offlineCardText, type ShotRequest } from "../../../../../server/pipeline/visuals/draw.ts";
import { briefSchema } from "../../../../../server/videos/brief.ts";

const brief = briefSchema.parse({
  topic: "Tides. The moon pulls the oceans. Sailors plan by them.",
  audience: "sailors",
  tone: "serious",
  targetLengthSec: 30,
  aspectRatio: "16:9",
  voice: "en-gb-male",
  visualStyle: "modern",
  music: "none",
});
const script = writeOfflineScript(brief);
const config: ProviderConfig = { capability: "visuals", provider: "offline-card", model: null, voice: null, baseUrl: null, apiKey: null };

describe("the offline card's words", () => {
  test("a character no font draws is refused for good, naming the scene and the character", async () => {
    const scene = { ...script.scenes[1]!, title: "Khitan \u{18B00} script" };
    const request = {
      script,
      scene,
      sceneIndex: 1,
      shot: { query: "tides" },
      shotIndex: 0,
      shotCount: 1,
      brief,
      shotSec: 3,
      owner: null,
    } as unknown as ShotRequest;
    await assert.rejects(drawShot(config, request, { signal: new AbortController().signal, timeoutMs: 1000 }), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.retriable, false);
      assert.equal(error.reason, `Scene 2 ("Khitan \u{18B00} script"): no installed font can draw "\u{18B00}" (U+18B00); edit the scene to remove it`);
      return true;
    });
  });

  test("a shot's words start with a capital by the language's rules", () => {
    const scene = { title: "Title" };
    assert.equal(offlineCardText(scene, { query: "istanbul at night" }, 1, "tr"), "İstanbul at night");
    assert.equal(offlineCardText(scene, { query: "istanbul at night" }, 1), "Istanbul at night");
    assert.equal(offlineCardText(scene, { query: "咖啡" }, 1, "zh"), "咖啡");
    assert.equal(offlineCardText(scene, { query: "\u{1D400}x" }, 1), "\u{1D400}x", "a character outside the BMP stays whole");
  });
});
