// The audio of a render, in two FFmpeg runs. The first mixes the narrations (each delayed to
// its scene) with the music, ducked under the voice, into a WAV file and measures that mix
// (ebur128: integrated loudness and sample peak). The second brings the mix to the target
// loudness with one gain, adds a limiter only when the gain would push a peak past the
// ceiling, and encodes it. A clip shot's own sound, when the spec asks for it, joins the mix
// under the narration at its gain (not ducked: it is asked for low already). Generated music
// is a bed composed and rendered beforehand (music/bed.ts), read as a file like the user's own
// track; without fluidsynth it is a held chord made inside the graph.
// loudnorm does this in one run, but its true-peak detection at 192 kHz cost ~3× the whole
// mix (measured on 61 s of narration and music: 2.8 s of CPU against 0.8 s).
import type { EFFECT_SOUNDS, MusicMood, RenderSpec, TimelineTiming } from "@aura/render-contract";
import { clipInputArgs, type ClipInput } from "./clips.ts";
import { fmt } from "./filter-escape.ts";

export type AudioSources = {
  /** One per scene; null where the scene has no narration. */
  narrations: (string | null)[];
  /** Per scene: gain applied to its narration before mixing (a clipped file is turned down). */
  narrationGainDb?: number[];
  /** A music file: the spec's own, or the composed bed for generated music (exactly the
   *  timeline's length); null: no music, or the chord made inside the graph. */
  musicFile: string | null;
  /** Each effect's sound file, in spec order; null for a generated one. */
  effectFiles?: (string | null)[];
  /** Each clip shot's file and what ffprobe found in it, or null for a still. */
  clips?: (ClipInput | null)[];
};

/** The mixed audio, ready to be encoded: its WAV file and the filter that sets its loudness. */
export type MixedAudio = { file: string; filter: string };

const AUDIO_FORMAT = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo";

const MUSIC_CHORDS: Record<MusicMood, number[]> = {
  calm: [220, 277.18, 329.63], // A major
  bright: [261.63, 329.63, 392], // C major
  dark: [220, 261.63, 329.63], // A minor
};

/** A soft sustained chord (each tone with its octave) with a slow swell, made inside FFmpeg
 *  from sine sources (no file, no user text): the bed when fluidsynth cannot compose one. `sine` is ~10× cheaper than evaluating the same
 *  sum with aevalsrc (measured: 0.16 s against 1.86 s for 61 s). */
export function generatedMusicSource(mood: keyof typeof MUSIC_CHORDS, durationSec: number) {
  // sine's amplitude is 1/8: 0.48 of it is 0.06, the octave 0.3 of that.
  const tones = MUSIC_CHORDS[mood].flatMap((f) => [
    [f, 0.48],
    [f * 2, 0.144],
  ]);
  const sources = tones.map(([f, gain], i) => `sine=f=${fmt(f!)}:sample_rate=48000:d=${fmt(durationSec)},volume=${gain}[gm${i}]`);
  const mix = `${tones.map((_, i) => `[gm${i}]`).join("")}amix=inputs=${tones.length}:normalize=0,volume=eval=frame:volume='0.75+0.25*sin(2*PI*0.08*t)'`;
  return [...sources, mix].join(";");
}

/** A short effect sound made inside FFmpeg: a filtered noise swell, a bell-like decaying
 *  pair of tones, or a click of a pop. */
export function generatedEffectSource(name: (typeof EFFECT_SOUNDS)[number], label: string) {
  switch (name) {
    case "whoosh":
      return "anoisesrc=d=0.7:c=pink:r=48000:a=0.6:seed=7,bandpass=f=900:width_type=o:w=2,afade=t=in:d=0.35:curve=qsin,afade=t=out:st=0.35:d=0.35:curve=qsin";
    case "chime":
      return `sine=f=1318.5:sample_rate=48000:d=1.2,volume=0.9[${label}_a];sine=f=1975.5:sample_rate=48000:d=1.2,volume=0.45[${label}_b];[${label}_a][${label}_b]amix=inputs=2:normalize=0,afade=t=out:st=0:d=1.2:curve=exp`;
    case "pop":
      return "sine=f=620:sample_rate=48000:d=0.09,volume=1.6,afade=t=in:d=0.005,afade=t=out:st=0.01:d=0.08:curve=exp";
  }
}

/** The clip shots whose own sound is mixed: asked for (a gain, not null) and there (the file
 *  has an audio stream). */
export function clipSoundShots(spec: RenderSpec, clips: AudioSources["clips"]) {
  return spec.scenes.flatMap((scene, i) => (scene.clip && scene.clip.volumeDb !== null && clips?.[i]?.info.hasAudio ? [i] : []));
}

/** The mix graph: narrations delayed to their scenes, music ducked under them, effects at
 *  their times, clips' own sound under their shots, ending in `[amix]` (48 kHz stereo, exactly
 *  the timeline's length). Narration inputs start at `firstInput`; a music file follows them,
 *  then effect files, then the clips whose sound is mixed. */
export function mixParts(
  spec: RenderSpec,
  sources: Pick<AudioSources, "narrations" | "narrationGainDb" | "clips" | "musicFile">,
  timing: TimelineTiming,
  firstInput: number,
) {
  const parts: string[] = [];
  const total = fmt(timing.totalSec);
  let inputIndex = firstInput;
  const voices: string[] = [];
  spec.scenes.forEach((scene, i) => {
    if (!sources.narrations[i]) return;
    const delayMs = Math.round((timing.scenes[i]!.startSec + scene.narrationOffset) * 1000);
    const gain = sources.narrationGainDb?.[i] ? `volume=${sources.narrationGainDb[i]}dB,` : "";
    parts.push(`[${inputIndex}:a]${gain}${AUDIO_FORMAT},adelay=delays=${delayMs}:all=1[n${i}]`);
    voices.push(`[n${i}]`);
    inputIndex++;
  });
  if (voices.length === 0) parts.push(`anullsrc=r=48000:cl=stereo,atrim=0:${total}[voice]`);
  else if (voices.length === 1) parts.push(`${voices[0]}apad=whole_dur=${total},atrim=0:${total}[voice]`);
  else parts.push(`${voices.join("")}amix=inputs=${voices.length}:normalize=0:duration=longest,apad=whole_dur=${total},atrim=0:${total}[voice]`);

  let mixed = "voice";
  if (spec.music) {
    const fadeOut = Math.max(0, timing.totalSec - 2);
    const chord = spec.music.source.kind === "generated" && !sources.musicFile ? spec.music.source : null;
    const source = chord ? `${generatedMusicSource(chord.mood, timing.totalSec)},` : `[${inputIndex++}:a]`;
    parts.push(`${source}${AUDIO_FORMAT},atrim=0:${total},volume=${spec.music.volumeDb}dB,afade=t=in:st=0:d=1,afade=t=out:st=${fmt(fadeOut)}:d=2[music]`);
    if (spec.music.duck) {
      // The narration is the sidechain: the music drops while someone speaks.
      parts.push(`[voice]asplit=2[voicemix][voicekey]`);
      parts.push(`[music][voicekey]sidechaincompress=threshold=0.015:ratio=8:attack=20:release=450:makeup=1[ducked]`);
      parts.push(`[voicemix][ducked]amix=inputs=2:normalize=0:duration=first[mixed]`);
    } else {
      parts.push(`[voice][music]amix=inputs=2:normalize=0:duration=first[mixed]`);
    }
    mixed = "mixed";
  }
  const extras: string[] = [];
  // Effect files are inputs after the music file, in spec order (buildMixArgs).
  spec.effects.forEach((effect, k) => {
    const source = effect.sound.kind === "generated" ? `${generatedEffectSource(effect.sound.name, `fx${k}`)},` : `[${inputIndex++}:a]`;
    parts.push(`${source}${AUDIO_FORMAT},volume=${effect.volumeDb}dB,adelay=delays=${Math.round(effect.at * 1000)}:all=1[fx${k}]`);
    extras.push(`[fx${k}]`);
  });
  // A clip's sound: its input already starts at the clip's start and loops with its picture
  // (buildMixArgs); cut to the shot's length, faded in and out at the shot's edges (over the
  // transition, as the picture is, or 50 ms without one), delayed to the shot's start.
  const transitionSec = timing.transitionFrames / timing.fps;
  for (const i of clipSoundShots(spec, sources.clips)) {
    const shot = timing.scenes[i]!;
    const length = shot.durationSec;
    const fade = Math.min(Math.max(transitionSec, 0.05), 0.5, length / 3);
    parts.push(
      `[${inputIndex++}:a]${AUDIO_FORMAT},atrim=0:${fmt(length)},volume=${spec.scenes[i]!.clip!.volumeDb}dB,` +
        `afade=t=in:st=0:d=${fmt(fade)},afade=t=out:st=${fmt(length - fade)}:d=${fmt(fade)},adelay=delays=${Math.round(shot.startSec * 1000)}:all=1[clip${i}]`,
    );
    extras.push(`[clip${i}]`);
  }
  if (extras.length) {
    parts.push(`[${mixed}]${extras.join("")}amix=inputs=${extras.length + 1}:normalize=0:duration=first[withfx]`);
    mixed = "withfx";
  }
  parts.push(`[${mixed}]${AUDIO_FORMAT},atrim=0:${total}[amix]`);
  return parts;
}

/** The first run: the mix as 32-bit float WAV, measured on the way out (the summary goes to
 *  stderr at the info level, where parseLoudness reads it). */
export function buildMixArgs(spec: RenderSpec, timing: TimelineTiming, sources: AudioSources, output: string) {
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "info", "-nostats"];
  for (const narration of sources.narrations) if (narration) args.push("-i", narration);
  if (spec.music?.source.kind === "asset") {
    if (!sources.musicFile) throw new Error("the spec asks for a music file but none was given");
    args.push("-stream_loop", "-1", "-i", sources.musicFile);
  } else if (spec.music && sources.musicFile) {
    // The composed bed: already as long as the video.
    args.push("-i", sources.musicFile);
  }
  spec.effects.forEach((effect, k) => {
    if (effect.sound.kind !== "asset") return;
    if (!sources.effectFiles?.[k]) throw new Error(`the spec asks for effect ${k + 1}'s sound file but none was given`);
    args.push("-i", sources.effectFiles[k]!);
  });
  // Each clip whose sound is mixed, read from where its shot starts, as long as the shot, looped
  // as its picture is.
  for (const i of clipSoundShots(spec, sources.clips)) {
    args.push(...clipInputArgs(spec.scenes[i]!.clip!, sources.clips![i]!, 0, timing.scenes[i]!.durationSec, spec.fps));
  }
  const graph = [...mixParts(spec, sources, timing, 0), "[amix]ebur128=peak=sample:framelog=verbose[aout]"].join(";\n");
  args.push("-filter_complex", graph, "-map", "[aout]", "-c:a", "pcm_f32le", "-t", fmt(timing.totalSec), "-f", "wav", output);
  return args;
}

export type Loudness = { integratedLufs: number; samplePeakDb: number };

/** Reads ebur128's summary from FFmpeg's stderr. */
export function parseLoudness(stderr: string): Loudness {
  const summary = stderr.slice(stderr.lastIndexOf("Summary:"));
  const integrated = /I:\s+(-?[\d.]+|-inf) LUFS/.exec(summary)?.[1];
  const peak = /Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)?.[1];
  if (!summary.startsWith("Summary:") || integrated === undefined || peak === undefined) throw new Error("the audio mix was not measured (no ebur128 summary)");
  const num = (s: string) => (s === "-inf" ? -Infinity : Number(s));
  return { integratedLufs: num(integrated), samplePeakDb: num(peak) };
}

/** Below this the mix is silence (ebur128 reports -70 LUFS): no gain is applied. */
const SILENCE_LUFS = -69;
/** The limiter's ceiling sits this far under the true-peak target: peaks between samples and
 *  the AAC encoder's rounding can rise above the sample peak by about this much. */
const CEILING_MARGIN_DB = 1;
const MAX_GAIN_DB = 30;

/** The filter that takes a measured mix to the spec's loudness. Pure. */
export function loudnessFilter(measured: Loudness, target: RenderSpec["loudness"]) {
  if (!(measured.integratedLufs > SILENCE_LUFS)) return "anull";
  const gain = Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, target.integratedLufs - measured.integratedLufs));
  const ceiling = target.truePeakDb - CEILING_MARGIN_DB;
  const parts = [`volume=${gain.toFixed(2)}dB`];
  if (measured.samplePeakDb + gain > ceiling) {
    parts.push(`alimiter=limit=${(10 ** (ceiling / 20)).toFixed(4)}:attack=5:release=50:level=false:latency=true`);
  }
  return parts.join(",");
}

/** The second run for a segmented render: the mix, at its loudness, encoded alone. */
export function buildAudioEncodeArgs(mix: MixedAudio, audioArgs: string[], output: string) {
  return ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-i", mix.file, "-af", mix.filter, ...audioArgs, "-vn", "-f", "mp4", output];
}
