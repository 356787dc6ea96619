// The composed score, read back from its MIDI bytes: as long as asked, in key, the same for
// the same seed and different for another, ending on the tonic chord after a V or IV chord.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import MidiPackage from "@tonejs/midi";
import { MUSIC_MOODS } from "@aura/render-contract";
import { chordPitchClasses, composeMusic, keyPitchClasses, MOODS } from "../src/music/compose.ts";

const { Midi } = MidiPackage;

describe("music composer", () => {
  for (const mood of MUSIC_MOODS) {
    test(`${mood}: as long as the video, in key, General MIDI programs, ending on the tonic chord`, () => {
      for (const [seed, duration] of [
        ["video-1", 61.033],
        ["cm0abc", 8.5],
        ["x", 1],
        ["long one", 240],
      ] as const) {
        const piece = composeMusic(mood, seed, duration);
        const midi = new Midi(piece.bytes);
        assert.ok(Math.abs(midi.duration - duration) < 0.005, `${seed}: ${midi.duration} s, not ${duration} s`);
        assert.equal(midi.tracks.length, 3);
        assert.deepEqual(
          midi.tracks.map((t) => t.instrument.number),
          [MOODS[mood].programs.chords, MOODS[mood].programs.bass, MOODS[mood].programs.melody],
        );
        assert.ok(
          midi.tracks.every((t) => t.channel !== 9 && t.notes.length > 0),
          "no drum channel, every part plays",
        );
        const inKey = keyPitchClasses(piece.scale, piece.tonic);
        const stray = midi.tracks.flatMap((t) => t.notes).filter((n) => !inKey.has(n.midi % 12));
        assert.deepEqual(stray, [], `${seed}: every note in the key`);

        // The cadence: V or IV, then the tonic chord held through the last bar.
        assert.ok([3, 4].includes(piece.chords.at(-2)!), `${seed}: ${piece.chords.join(" ")}`);
        const lastBar = midi.duration - (4 * 60) / piece.bpm;
        const final = midi.tracks.flatMap((t) => t.notes).filter((n) => n.time >= lastBar - 0.001);
        const tonicChord = new Set(chordPitchClasses(piece.scale, piece.tonic, 0));
        assert.deepEqual(new Set(final.map((n) => n.midi % 12)), tonicChord, `${seed}: the last bar is the tonic chord`);
        const [, bass, melody] = midi.tracks;
        assert.equal(bass!.notes.at(-1)!.midi % 12, piece.tonic, "the bass ends on the tonic");
        assert.equal(melody!.notes.at(-1)!.midi % 12, piece.tonic, "the melody ends on the tonic");
        for (const n of final) assert.ok(Math.abs(n.time + n.duration - midi.duration) < 0.005, "held to the end");
        // Faded: the expression falls over the last bar.
        const expression = bass!.controlChanges[11]!;
        assert.ok(expression.at(-1)!.value < 0.3 && expression.at(-1)!.time > lastBar);
      }
    });
  }

  test("the same seed gives the same bytes; other seeds, other music", () => {
    const one = composeMusic("bright", "video-1", 30).bytes;
    assert.deepEqual(composeMusic("bright", "video-1", 30).bytes, one);
    const others = ["video-2", "video-3", "video-4", "video-5"].map((seed) => Buffer.from(composeMusic("bright", seed, 30).bytes).toString("hex"));
    assert.equal(new Set([Buffer.from(one).toString("hex"), ...others]).size, 5);
    // Not only the bytes: the melodies differ.
    const melody = (seed: string) => new Midi(composeMusic("calm", seed, 60).bytes).tracks[2]!.notes.map((n) => n.midi).join(",");
    assert.notEqual(melody("a"), melody("b"));
  });

  test("phrases repeat: the melody of bars 5-8 returns in bars 13-16", () => {
    const piece = composeMusic("calm", "phrases", 120);
    const midi = new Midi(piece.bytes);
    const bar = (4 * 60) / piece.bpm;
    const notesIn = (from: number) =>
      midi.tracks[2]!.notes.filter((n) => n.time >= from * bar - 0.001 && n.time < (from + 4) * bar - 0.001).map((n) => [
        n.midi,
        Math.round((n.time - from * bar) * 100),
      ]);
    // The first 4 bars are an intro without melody; bars 4-7 (motif A) return at 12-15.
    assert.deepEqual(notesIn(0), []);
    assert.ok(notesIn(4).length > 0);
    assert.deepEqual(notesIn(12), notesIn(4));
  });

  test("a length that is not positive is refused, naming the field", () => {
    assert.throws(() => composeMusic("calm", "x", 0), /music: the duration must be positive/);
  });
});
