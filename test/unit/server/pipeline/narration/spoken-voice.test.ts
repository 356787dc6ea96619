// Which voice spoke, as the job page says it: provider and brief voice from each narration
// step's output, once for the video when the scenes agree, else per scene; older outputs
// without a voice name the provider only.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { describeSpokenVoice, spokenVoices } from "../../../../../server/pipeline/narration/spoken-voice.ts";

describe("the voice that spoke", () => {
  test("provider, the brief's voice and the provider's own voice name", () => {
    assert.equal(describeSpokenVoice({ provider: "espeak-ng", voice: "es-female", speaker: "es+f3" }), "espeak-ng, Spanish female (es+f3)");
    assert.equal(describeSpokenVoice({ provider: "festival", voice: "en-us-female" }), "festival, American English female");
    // An output from before the voice was recorded.
    assert.equal(describeSpokenVoice({ provider: "flite", attempts: [] }), "flite");
    assert.equal(describeSpokenVoice({ key: "x" }), null);
    assert.equal(describeSpokenVoice(null), null);
  });

  test("one line for the video when every scene had the same voice, else per scene", () => {
    const same = spokenVoices([
      { stepId: "script", stage: "script", output: { provider: "offline" } },
      { stepId: "narration-1", stage: "narration", output: { provider: "espeak-ng", voice: "zh-male", speaker: "cmn-latn-pinyin" } },
      { stepId: "narration-2", stage: "narration", output: { provider: "espeak-ng", voice: "zh-male", speaker: "cmn-latn-pinyin" } },
    ]);
    assert.equal(same.video, "espeak-ng, Chinese (Simplified) male (cmn-latn-pinyin)");
    const mixed = spokenVoices([
      { stepId: "narration-1", stage: "narration", output: { provider: "openai", voice: "es-female", speaker: "nova" } },
      { stepId: "narration-2", stage: "narration", output: { provider: "espeak-ng", voice: "es-female", speaker: "es+f3" } },
    ]);
    assert.equal(mixed.video, null);
    assert.equal(mixed.byStep.get("narration-2"), "espeak-ng, Spanish female (es+f3)");
    assert.equal(mixed.byStep.get("narration-1"), "openai, Spanish female (nova)");
  });
});
