// OpenAI text-to-speech (/audio/speech) through the SDK, as WAV so its length can be measured.
import { readBody } from "../http.ts";
import { fromOpenAiError, openaiClient } from "../llm/openai.ts";
import type { CallContext, ProviderConfig } from "../types.ts";
import { voiceInfo, type Brief } from "../../videos/brief.ts";
import { speechFromWav, type Speech } from "./wav.ts";

/** A voice per brief voice when the setting names none. OpenAI's voices speak every language;
 *  these four keep the English accents apart. */
const VOICE_FOR: Record<string, string> = {
  "en-us-male": "onyx",
  "en-us-female": "nova",
  "en-gb-male": "fable",
  "en-gb-female": "shimmer",
};
export const openAiVoiceFor = (voice: string) => VOICE_FOR[voice] ?? (voiceInfo(voice)?.gender === "male" ? "onyx" : "nova");

const MAX_AUDIO_BYTES = 50 * 1024 * 1024;

export async function synthesizeOpenAi(config: ProviderConfig, text: string, voice: Brief["voice"], ctx: CallContext, rate = 1): Promise<Speech> {
  const client = openaiClient(config, ctx.timeoutMs);
  let wav: Buffer;
  try {
    const response = await client.audio.speech.create(
      {
        model: config.model ?? "gpt-4o-mini-tts",
        voice: config.voice ?? openAiVoiceFor(voice),
        input: text,
        response_format: "wav",
        ...(rate !== 1 ? { speed: Math.min(4, Math.max(0.25, rate)) } : {}),
      },
      { signal: ctx.signal },
    );
    // Read with a cap: an answer that never ends is a malformed answer, not an out-of-memory.
    wav = await readBody("openai", response, MAX_AUDIO_BYTES);
  } catch (error) {
    throw fromOpenAiError(error, ctx.signal);
  }
  return speechFromWav("openai", wav);
}
