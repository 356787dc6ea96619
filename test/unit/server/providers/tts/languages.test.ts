// Which languages each voice provider speaks: festival and flite English only, espeak-ng and
// OpenAI all 23, Piper its model's language from the file name, ElevenLabs by model.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LANGUAGE_CODES } from "@aura/render-contract";
import { PROVIDERS } from "../../../../../server/providers/catalog.ts";
import { piperModelLanguage, speaksLanguage, voiceLanguages } from "../../../../../server/providers/tts/languages.ts";

describe("voice languages", () => {
  test("the built-in voices: festival and flite English, espeak-ng every language", () => {
    assert.deepEqual(voiceLanguages("festival"), ["en"]);
    assert.deepEqual(voiceLanguages("flite"), ["en"]);
    assert.deepEqual([...voiceLanguages("espeak-ng")].sort(), [...LANGUAGE_CODES].sort());
    assert.equal(LANGUAGE_CODES.length, 23);
  });

  test("OpenAI speaks every language Aura has", () => {
    assert.equal(voiceLanguages("openai", { model: "gpt-4o-mini-tts" }).length, 22);
    assert.ok(!voiceLanguages("openai").includes("bn"), "Whisper's list has no Bengali");
  });

  test("Piper speaks its model's language, English when none is set", () => {
    assert.equal(piperModelLanguage("de_DE-thorsten-medium.onnx"), "de");
    assert.equal(piperModelLanguage("zh_CN-huayan-medium.onnx"), "zh");
    assert.equal(piperModelLanguage("ar_JO-kareem-low.onnx"), "ar");
    assert.equal(piperModelLanguage(null), "en");
    // A name without a language is taken as English, Piper's usual voice.
    assert.equal(piperModelLanguage("voice.onnx"), "en");
    assert.equal(piperModelLanguage("sw_KE-lanfrica-medium.onnx"), undefined);
    assert.deepEqual(voiceLanguages("piper", { model: "de_DE-thorsten-medium.onnx" }), ["de"]);
    assert.deepEqual(voiceLanguages("piper", { model: "my-voice.onnx" }), ["en"]);
    assert.deepEqual(voiceLanguages("piper", { model: "sw_KE-lanfrica-medium.onnx" }), []);
    assert.ok(speaksLanguage("piper", { model: "es_ES-davefx-medium.onnx" }, "es-MX"));
    assert.ok(!speaksLanguage("piper", { model: "es_ES-davefx-medium.onnx" }, "en"));
  });

  test("ElevenLabs by model: multilingual v2 lacks Thai, Hebrew, Persian, Bengali and Vietnamese", () => {
    for (const language of ["th", "he", "fa", "bn", "vi"]) assert.ok(!speaksLanguage("elevenlabs", { model: "eleven_multilingual_v2" }, language), language);
    for (const language of ["en", "es", "zh", "zh-TW", "ja", "ar", "hi", "ru"])
      assert.ok(speaksLanguage("elevenlabs", { model: "eleven_multilingual_v2" }, language), language);
    assert.ok(speaksLanguage("elevenlabs", { model: "eleven_flash_v2_5" }, "vi"));
    assert.ok(!speaksLanguage("elevenlabs", { model: "eleven_flash_v2_5" }, "th"));
    assert.ok(speaksLanguage("elevenlabs", { model: "eleven_v3" }, "th"));
    assert.deepEqual(voiceLanguages("elevenlabs", { model: "eleven_flash_v2" }), ["en"]);
    // No model, or one this table does not know: the API's default model's languages.
    assert.deepEqual(voiceLanguages("elevenlabs", {}), voiceLanguages("elevenlabs", { model: "eleven_multilingual_v2" }));
    assert.deepEqual(voiceLanguages("elevenlabs", { model: "eleven_future_v9" }), voiceLanguages("elevenlabs", { model: "eleven_multilingual_v2" }));
  });

  test("an unknown provider or language speaks nothing", () => {
    assert.deepEqual(voiceLanguages("nobody"), []);
    assert.ok(!speaksLanguage("espeak-ng", {}, "xx"));
  });

  test("the Providers page describes every voice provider's languages", () => {
    for (const provider of PROVIDERS.voice) assert.ok(provider.languages, `${provider.id} has no languages`);
  });
});
