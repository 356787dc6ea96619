// The brief form's presets: every one holds only values the brief accepts (checked by the
// brief's own field schemas, which refuse a bad one), a brief filled from any preset parses
// whole, and a preset reports exactly the fields it changes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { briefSchema } from "../../../../server/videos/brief.ts";
import { PRESETS, presetChanges, presetFieldsSchema, presetInfo } from "../../../../server/videos/presets.ts";

const base = { topic: "How tides work. The moon pulls the sea. Coasts see two tides a day.", audience: "sailors", voice: "en-us-male", visualStyle: "modern" };

describe("brief presets", () => {
  test("the three presets, each with a distinct id, a label and a description", () => {
    assert.deepEqual(
      PRESETS.map((p) => p.label),
      ["YouTube explainer", "Short or Reel", "LinkedIn square"],
    );
    assert.equal(new Set(PRESETS.map((p) => p.id)).size, PRESETS.length);
    for (const preset of PRESETS) assert.ok(preset.description.length > 10, preset.id);
  });

  for (const preset of PRESETS) {
    test(`${preset.label}: its fields parse, and a brief filled from it parses whole`, () => {
      assert.deepEqual(presetFieldsSchema.parse(preset.fields), preset.fields);
      const brief = briefSchema.parse({ ...base, ...preset.fields });
      assert.equal(brief.aspectRatio, preset.fields.aspectRatio);
      assert.equal(brief.targetLengthSec, preset.fields.targetLengthSec);
      assert.equal(brief.tone, preset.fields.tone);
    });
  }

  test("the shapes each preset promises", () => {
    assert.deepEqual(
      PRESETS.map((p) => [p.fields.aspectRatio, p.fields.targetLengthSec, p.fields.captionsMode]),
      [
        ["16:9", 180, "track"],
        ["9:16", 60, "burned"],
        ["1:1", 90, "burned"],
      ],
    );
  });

  test("the check refuses what the brief refuses: a length past 180 s, an unknown tone, an unknown field", () => {
    assert.equal(presetFieldsSchema.safeParse({ targetLengthSec: 300 }).success, false);
    assert.equal(presetFieldsSchema.safeParse({ tone: "punchy" }).success, false);
    assert.equal(presetFieldsSchema.safeParse({ captionsMode: "subtitles" }).success, false);
    assert.equal(presetFieldsSchema.safeParse({ voice: "en-us-male" }).success, false);
  });

  test("a preset names only the fields it changes", () => {
    const reel = presetInfo("short-or-reel")!;
    const current = {
      aspectRatio: "16:9",
      targetLengthSec: 60,
      tone: "informative",
      captions: true,
      captionsMode: "burned",
      captionSize: "medium",
      captionHighlight: false,
    };
    assert.deepEqual(presetChanges(reel, current), [
      { field: "aspectRatio", from: "16:9", to: "9:16" },
      { field: "tone", from: "informative", to: "playful" },
      { field: "captionSize", from: "medium", to: "large" },
      { field: "captionHighlight", from: false, to: true },
    ]);
    assert.deepEqual(presetChanges(reel, { ...reel.fields }), []);
    assert.equal(presetInfo("tiktok"), undefined);
  });
});
