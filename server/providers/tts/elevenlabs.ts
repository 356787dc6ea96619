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

/** Words from a per-character alignment: runs of non-space characters. */
export function wordsFromAlignment(a: { characters: string[]; character_start_times_seconds: number[]; character_end_times_seconds: number[] }) {
  const words: WordTiming[] = [];
  let current: WordTiming | null = null;
  a.characters.forEach((ch, i) => {
    if (/\s/.test(ch)) {
      if (current) words.push(current);
      current = null;
      return;
    }
    const start = a.character_start_times_seconds[i] ?? 0;
    const end = a.character_end_times_seconds[i] ?? start;
    if (current) {
      current.word += ch;
      current.endSec = end;
    } else current = { word: ch, startSec: start, endSec: end };
  });
  if (current) words.push(current);
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
