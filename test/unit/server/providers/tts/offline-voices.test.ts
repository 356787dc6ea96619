// The built-in voices: each brief voice gets the offline voices that fit it, espeak-ng last;
// festival's script carries no text, only Aura's own file paths; its word lines are read back;
// and a chain ends with the built-in links its caller names.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { builtInProviders } from "../../../../../server/providers/chain.ts";
import { festivalScript, parseFestivalWords } from "../../../../../server/providers/tts/festival.ts";
import { fliteVoiceFor, offlineVoicesFor } from "../../../../../server/providers/tts/offline-voices.ts";
import { VOICES } from "../../../../../server/videos/brief.ts";

describe("offline voices", () => {
  test("female voices are festival's, male ones flite's, espeak-ng always last", () => {
    assert.deepEqual(offlineVoicesFor("en-us-female"), ["festival", "espeak-ng"]);
    assert.deepEqual(offlineVoicesFor("en-us-male"), ["flite", "espeak-ng"]);
    assert.equal(fliteVoiceFor("en-gb-male"), "rms");
    for (const voice of VOICES) assert.equal(offlineVoicesFor(voice.id).at(-1), "espeak-ng");
  });

  test("a chain's built-in links are the named ones in order, or all of them", () => {
    assert.deepEqual(builtInProviders("voice", ["flite", "espeak-ng"]), ["flite", "espeak-ng"]);
    assert.deepEqual(builtInProviders("voice"), ["festival", "flite", "espeak-ng"]);
    assert.deepEqual(builtInProviders("script"), ["offline"]);
    assert.throws(() => builtInProviders("voice", ["openai"]), /"openai" is not a built-in voice provider/);
    assert.throws(() => builtInProviders("voice", []), /no built-in voice provider/);
  });
});

describe("festival script", () => {
  test("reads the text from its file and sets the HTS speed", () => {
    const script = festivalScript("/tmp/aura-festival-x/text.txt", "/tmp/aura-festival-x/speech.wav", 0.887);
    assert.match(script, /\(voice_cmu_us_slt_arctic_hts\)/);
    assert.match(script, /\(fopen "\/tmp\/aura-festival-x\/text.txt" "rb"\)/);
    assert.match(script, /\(list "-r" 0\.8870\)/);
  });

  test("refuses a path or speed that could change the script", () => {
    assert.throws(() => festivalScript('/tmp/x") (system "rm', "/tmp/y.wav", 1), /unsafe path/);
    assert.throws(() => festivalScript("/tmp/x", "/tmp/y.wav", Number.NaN), /positive number/);
  });

  test("word lines are read back; other output is ignored", () => {
    const stdout = "SIOD noise\nAURA-WORD\tHello\t0.165000\t0.395000\nAURA-WORD\tworld\t0.395000\t0.715000\n#<Utterance 0x1>\n";
    assert.deepEqual(parseFestivalWords(stdout), [
      { word: "Hello", startSec: 0.165, endSec: 0.395 },
      { word: "world", startSec: 0.395, endSec: 0.715 },
    ]);
  });
});
