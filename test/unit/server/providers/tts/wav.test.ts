import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { wavDurationSec } from "../../../../../server/providers/tts/wav.ts";

describe("WAV duration", () => {
  function wav(dataBytes: number, declared: number) {
    const b = Buffer.alloc(44 + dataBytes);
    b.write("RIFF", 0);
    b.write("WAVE", 8);
    b.write("fmt ", 12);
    b.writeUInt32LE(16, 16);
    b.writeUInt32LE(44100, 28); // byte rate: 22050 Hz, 16-bit mono
    b.write("data", 36);
    b.writeUInt32LE(declared, 40);
    return b;
  }
  test("reads the data size, or the file length when a pipe left it unset", () => {
    assert.equal(wavDurationSec(wav(88200, 88200)), 2);
    assert.equal(wavDurationSec(wav(44100, 0xffffffff)), 1);
    assert.throws(() => wavDurationSec(Buffer.from("not a wav file at all, definitely not")));
  });
});
