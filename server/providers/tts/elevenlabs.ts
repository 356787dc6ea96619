// ElevenLabs text-to-speech with timestamps: raw 24 kHz PCM (wrapped as WAV here) plus a
// per-character alignment, from which word timings are built.
import { z } from "zod";
import { ProviderError } from "../errors.ts";
import { joinUrl, providerJson } from "../http.ts";
import type { CallContext, ProbeResult, ProviderConfig } from "../types.ts";
import { ELEVENLABS_DEFAULT_MODEL } from "./languages.ts";
import { pcmToWav, speechFromWav, type Speech, type WordTiming } from "./wav.ts";

const DEFAULT_BASE_URL = "https://api.elevenlabs.io";
const SAMPLE_RATE = 24000;
export const ELEVENLABS_DEFAULT_VOICE = "21m00Tcm4TlvDq8ikWAM";

const answerSchema = z.object({
  audio_base64: z.string().min(1),
  alignment: z
    .object({
      characters: z.array(z.string()),
      character_start_times_seconds: z.array(z.number()),
      character_end_times_seconds: z.array(z.number()),
    })
    .nullish(),
});

function headers(config: ProviderConfig) {
  if (!config.apiKey) throw new ProviderError("elevenlabs", "config", "no API key is set");
  return { "xi-api-key": config.apiKey, "content-type": "application/json", accept: "application/json" };
}

const voiceId = (config: ProviderConfig) => encodeURIComponent(config.voice ?? ELEVENLABS_DEFAULT_VOICE);

/** Scripts written without spaces between words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: "word" });

/** A run of non-space characters in Chinese, Japanese or Thai split into its words (Unicode's
 *  word rules with ICU's dictionaries); punctuation stays with the word before it. */
function splitUnspaced(run: WordTiming[]): WordTiming[] {
  const text = run.map((c) => c.word).join("");
  if (!UNSPACED.test(text)) return [run.reduce((a, c) => ({ word: a.word + c.word, startSec: a.startSec, endSec: c.endSec }))];
  // The character each UTF-16 offset of the run's text belongs to.
  const owner: number[] = [];
  run.forEach((c, i) => {
    for (let k = 0; k < c.word.length; k++) owner.push(i);
  });
  const words: WordTiming[] = [];
  for (const segment of wordSegmenter.segment(text)) {
    const first = run[owner[segment.index]!]!;
    const last = run[owner[segment.index + segment.segment.length - 1]!]!;
    const previous = words.at(-1);
    if (!segment.isWordLike && previous) {
      previous.word += segment.segment;
      previous.endSec = last.endSec;
    } else words.push({ word: segment.segment, startSec: first.startSec, endSec: last.endSec });
  }
  return words;
}

/** Words from a per-character alignment: runs of non-space characters, and in Chinese,
 *  Japanese or Thai the words of each run. */
export function wordsFromAlignment(a: { characters: string[]; character_start_times_seconds: number[]; character_end_times_seconds: number[] }) {
  const words: WordTiming[] = [];
  let run: WordTiming[] = [];
  const close = () => {
    if (run.length) words.push(...splitUnspaced(run));
    run = [];
  };
  a.characters.forEach((ch, i) => {
    if (/\s/.test(ch)) close();
    else {
      const start = a.character_start_times_seconds[i] ?? 0;
      run.push({ word: ch, startSec: start, endSec: a.character_end_times_seconds[i] ?? start });
    }
  });
  close();
  return words;
}

export async function synthesizeElevenLabs(config: ProviderConfig, text: string, ctx: CallContext, rate = 1): Promise<Speech> {
  const url = joinUrl(config.baseUrl ?? DEFAULT_BASE_URL, `/v1/text-to-speech/${voiceId(config)}/with-timestamps?output_format=pcm_${SAMPLE_RATE}`);
  const json = await providerJson(
    "elevenlabs",
    url,
    {
      method: "POST",
      headers: headers(config),
      body: JSON.stringify({
        text,
        model_id: config.model ?? ELEVENLABS_DEFAULT_MODEL,
        // ElevenLabs accepts speeds from 0.7 to 1.2.
        ...(rate !== 1 ? { voice_settings: { speed: Math.min(1.2, Math.max(0.7, rate)) } } : {}),
      }),
    },
    { ...ctx, maxBytes: 80 * 1024 * 1024 },
  );
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) throw new ProviderError("elevenlabs", "malformed", "the answer has no audio_base64");
  const pcm = Buffer.from(parsed.data.audio_base64, "base64");
  if (pcm.length < 2) throw new ProviderError("elevenlabs", "malformed", "the audio is empty");
  const words = parsed.data.alignment ? wordsFromAlignment(parsed.data.alignment) : undefined;
  return speechFromWav("elevenlabs", pcmToWav(pcm, SAMPLE_RATE), words);
}

/** Reads the configured voice: proves the key and the voice id in one call. */
export async function probeElevenLabs(config: ProviderConfig, ctx: CallContext): Promise<ProbeResult> {
  const json = (await providerJson(
    "elevenlabs",
    joinUrl(config.baseUrl ?? DEFAULT_BASE_URL, `/v1/voices/${voiceId(config)}`),
    { method: "GET", headers: headers(config) },
    ctx,
  )) as { name?: unknown };
  return { detail: `voice "${typeof json.name === "string" ? json.name : (config.voice ?? ELEVENLABS_DEFAULT_VOICE)}" ready` };
}
