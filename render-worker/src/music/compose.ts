// The music bed's score: from a mood and a seed, a piece as long as the video, written as a
// General MIDI file for fluidsynth to play. A chord progression of the mood in a key the seed
// picks, a bass line on the chords' roots, and a melody made of two 4-bar motifs that repeat
// in 8-bar phrases (so it sounds composed, not random); every note stays in the key. The last
// two bars are a cadence (V→I or IV→I) that lands on the tonic chord, held and faded. The
// same mood, seed and length always give the same bytes; no drums, no noise.
import { createHash } from "node:crypto";
import MidiPackage from "@tonejs/midi";
import type { MusicMood } from "@aura/render-contract";

const { Midi } = MidiPackage;

/** Part of the bed cache's key: a change to the score or its sound bumps it. */
export const COMPOSER_VERSION = 1;

const PPQ = 480;
const BAR = 4 * PPQ;

/** Scale steps in semitones: major, and natural minor (its V chord takes the raised 7th). */
const SCALES = { major: [0, 2, 4, 5, 7, 9, 11], minor: [0, 2, 3, 5, 7, 8, 10] } as const;

/** How each mood sounds: its scale, the keys it may be in (tonic pitch class), its tempo,
 *  its chord progressions (scale degrees from 0, four bars each), its General MIDI programs
 *  (0-based) and how busy each part is. */
type Mood = {
  scale: keyof typeof SCALES;
  keys: number[];
  bpm: number;
  progressions: number[][];
  programs: { chords: number; bass: number; melody: number };
  /** "pad": the chord held through the bar; "arpeggio": its notes in eighths. */
  chordStyle: "pad" | "arpeggio";
  /** Bass note starts within a bar, in beats. */
  bassBeats: number[];
  /** Melody rhythms for one bar, in beats (a negative length is a rest). */
  rhythms: number[][];
  velocity: { chords: number; bass: number; melody: number };
};

export const MOODS: Record<MusicMood, Mood> = {
  // Major, slow: a warm pad, a soft electric piano melody, long bass notes.
  calm: {
    scale: "major",
    keys: [2, 7, 0, 5], // D, G, C, F
    bpm: 72,
    progressions: [
      [0, 4, 5, 3],
      [0, 5, 3, 4],
      [0, 3, 5, 4],
      [5, 3, 0, 4],
    ],
    programs: { chords: 89, bass: 32, melody: 4 }, // Pad 2 (warm), Acoustic Bass, Electric Piano 1
    chordStyle: "pad",
    bassBeats: [0],
    rhythms: [[2, 2], [3, 1], [4], [1, 1, 2], [2, -2]],
    velocity: { chords: 0.5, bass: 0.55, melody: 0.55 },
  },
  // Major, livelier: plucked nylon guitar in eighths, a marimba melody, a walking-ish bass.
  bright: {
    scale: "major",
    keys: [0, 7, 2, 9], // C, G, D, A
    bpm: 108,
    progressions: [
      [0, 4, 5, 3],
      [0, 3, 4, 3],
      [0, 5, 1, 4],
      [3, 4, 0, 5],
    ],
    programs: { chords: 24, bass: 33, melody: 12 }, // Nylon Guitar, Electric Bass (finger), Marimba
    chordStyle: "arpeggio",
    bassBeats: [0, 1.5, 2, 3],
    rhythms: [
      [1, 1, 1, 1],
      [1.5, 0.5, 2],
      [0.5, 0.5, 1, 2],
      [1, 1, 2],
      [2, 1, 1],
    ],
    velocity: { chords: 0.55, bass: 0.65, melody: 0.65 },
  },
  // Minor, slow: low strings, a cello-like bass, a sparse piano melody.
  dark: {
    scale: "minor",
    keys: [9, 2, 4, 0], // A, D, E, C minor
    bpm: 64,
    progressions: [
      [0, 5, 2, 6],
      [0, 6, 5, 4],
      [0, 3, 6, 2],
      [0, 5, 3, 4],
    ],
    programs: { chords: 49, bass: 43, melody: 0 }, // Slow Strings, Contrabass, Acoustic Grand Piano
    chordStyle: "pad",
    bassBeats: [0],
    rhythms: [[4], [2, 2], [3, 1], [2, -2], [-2, 2]],
    velocity: { chords: 0.5, bass: 0.6, melody: 0.5 },
  },
};

/** A small deterministic generator (mulberry32) seeded from the seed string's hash. */
function randomFrom(seed: string) {
  let state = createHash("sha256").update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The pitch classes of a chord on a scale degree: a triad, its third and fifth from the scale;
 *  in minor the V chord takes the raised 7th (a major V, so the cadence pulls home). */
export function chordPitchClasses(scale: keyof typeof SCALES, tonic: number, degree: number) {
  const steps = SCALES[scale];
  return [0, 2, 4].map((k) => {
    const d = degree + k;
    let semitone = steps[d % 7]! + 12 * Math.floor(d / 7);
    if (scale === "minor" && degree === 4 && k === 1) semitone += 1;
    return (tonic + semitone) % 12;
  });
}

/** The pitch classes allowed in a key: its scale, and in minor the raised 7th too. */
export function keyPitchClasses(scale: keyof typeof SCALES, tonic: number) {
  const classes = SCALES[scale].map((s) => (tonic + s) % 12);
  if (scale === "minor") classes.push((tonic + 11) % 12);
  return new Set(classes);
}

/** The note of pitch class `pc` in [low, low + 12). */
const place = (pc: number, low: number) => low + ((((pc - low) % 12) + 12) % 12);

export type Composition = {
  /** The Standard MIDI File. */
  bytes: Uint8Array;
  mood: MusicMood;
  /** The key's tonic pitch class (0 = C) and scale. */
  tonic: number;
  scale: keyof typeof SCALES;
  bpm: number;
  bars: number;
  /** One scale degree per bar. */
  chords: number[];
};

/**
 * Composes the bed: `durationSec` long (whole bars: the tempo bends a little from the mood's
 * so that they fill the video exactly), at least 2 bars (the cadence).
 */
export function composeMusic(mood: MusicMood, seed: string, durationSec: number): Composition {
  if (!(durationSec > 0)) throw new Error(`music: the duration must be positive, not ${durationSec}`);
  const m = MOODS[mood];
  const random = randomFrom(`${mood}:${seed}`);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const tonic = pick(m.keys);
  const progression = pick(m.progressions);
  const bars = Math.max(2, Math.round(durationSec / ((4 * 60) / m.bpm)));
  const bpm = (bars * 4 * 60) / durationSec;
  // The progression repeats; the last two bars are the cadence, V→I or (one seed in three) IV→I.
  const chords = Array.from({ length: bars }, (_, i) => progression[i % progression.length]!);
  chords[bars - 2] = random() < 1 / 3 ? 3 : 4;
  chords[bars - 1] = 0;

  const midi = new Midi();
  midi.header.setTempo(bpm);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [4, 4] });
  midi.header.name = `aura ${mood} ${COMPOSER_VERSION}`;
  const endTicks = bars * BAR;
  const track = (name: string, channel: number, program: number, volume: number) => {
    const t = midi.addTrack();
    t.name = name;
    t.channel = channel;
    t.instrument.number = program;
    t.addCC({ number: 7, value: volume, ticks: 0 });
    t.addCC({ number: 11, value: 1, ticks: 0 });
    // The last bar fades: expression down over it, while the tonic chord is held.
    for (let k = 1; k <= 8; k++) t.addCC({ number: 11, value: 1 - (k / 8) * 0.75, ticks: endTicks - BAR + (k * BAR) / 8 - 1 });
    return t;
  };
  const chordTrack = track("chords", 0, m.programs.chords, 0.8);
  const bassTrack = track("bass", 1, m.programs.bass, 0.8);
  const melodyTrack = track("melody", 2, m.programs.melody, 0.75);
  const humanize = (v: number) => Math.min(1, Math.max(0.1, v + (random() - 0.5) * 0.08));

  chords.forEach((degree, bar) => {
    const start = bar * BAR;
    const last = bar === bars - 1;
    const pcs = chordPitchClasses(m.scale, tonic, degree);
    const voicing = pcs.map((pc) => place(pc, 55)).sort((a, b) => a - b);
    if (m.chordStyle === "pad" || last) {
      for (const note of voicing) chordTrack.addNote({ midi: note, ticks: start, durationTicks: BAR, velocity: humanize(m.velocity.chords) });
    } else {
      // Up and down the chord with its octave, in eighths.
      const pattern = [0, 1, 2, 3, 2, 1, 2, 1];
      const notes = [...voicing, voicing[0]! + 12];
      pattern.forEach((k, i) => {
        chordTrack.addNote({ midi: notes[k]!, ticks: start + (i * PPQ) / 2, durationTicks: PPQ, velocity: humanize(m.velocity.chords) });
      });
    }
    const root = place(pcs[0]!, 36);
    const beats = last ? [0] : m.bassBeats;
    beats.forEach((beat, i) => {
      const next = beats[i + 1] ?? 4;
      // Off the first beat the bass walks to the fifth now and then.
      const note = beat > 0 && beat % 1 !== 0 ? place(pcs[2]!, 36) : root;
      bassTrack.addNote({ midi: note, ticks: start + beat * PPQ, durationTicks: (next - beat) * PPQ, velocity: humanize(m.velocity.bass) });
    });
  });

  // Two motifs of 4 bars, each a rhythm and a path through the scale per bar; phrases of 8 bars
  // play A then B (the first phrase of a long piece leaves the melody out: an intro).
  const scaleNotes = melodyScale(m.scale, tonic);
  const motifs = [0, 1].map(() =>
    Array.from({ length: 4 }, () => {
      const rhythm = pick(m.rhythms);
      return { rhythm, steps: rhythm.map(() => Math.floor(random() * 5) - 2) };
    }),
  );
  const intro = bars >= 16 ? 4 : 0;
  for (let bar = intro; bar < bars - 1; bar++) {
    const motif = motifs[Math.floor(bar / 4) % 2]!;
    const { rhythm, steps } = motif[bar % 4]!;
    const pcs = chordPitchClasses(m.scale, tonic, chords[bar]!);
    // Each bar starts on a chord tone (the root or the third), then steps along the scale.
    let index = nearestIndex(scaleNotes, place(pcs[bar % 2 === 0 ? 0 : 1]!, 67));
    let at = 0;
    rhythm.forEach((length, k) => {
      if (length > 0) {
        if (k > 0) index = Math.min(scaleNotes.length - 1, Math.max(0, index + steps[k]!));
        const note = scaleNotes[index]!;
        melodyTrack.addNote({ midi: note, ticks: bar * BAR + at * PPQ, durationTicks: length * PPQ, velocity: humanize(m.velocity.melody) });
      }
      at += Math.abs(length);
    });
  }
  // The melody lands on the tonic for the held last bar.
  melodyTrack.addNote({ midi: place(tonic, 67), ticks: (bars - 1) * BAR, durationTicks: BAR, velocity: m.velocity.melody });
  return { bytes: midi.toArray(), mood, tonic, scale: m.scale, bpm, bars, chords };
}

/** The melody's notes: the key's scale from G4 up two octaves. */
function melodyScale(scale: keyof typeof SCALES, tonic: number) {
  const classes = new Set(SCALES[scale].map((s) => (tonic + s) % 12));
  const notes: number[] = [];
  for (let n = 67; n < 67 + 24; n++) if (classes.has(n % 12)) notes.push(n);
  return notes;
}

function nearestIndex(notes: number[], note: number) {
  let best = 0;
  notes.forEach((n, i) => {
    if (Math.abs(n - note) < Math.abs(notes[best]! - note)) best = i;
  });
  return best;
}
