// The narration stage's call to one voice provider.
import { getEnv } from "../../env.ts";
import { unknownProviderError, withProcessTimeout } from "../../providers/errors.ts";
import { ELEVENLABS_DEFAULT_VOICE, synthesizeElevenLabs } from "../../providers/tts/elevenlabs.ts";
import { espeakVoiceFor, synthesizeEspeak } from "../../providers/tts/espeak.ts";
import { FESTIVAL_VOICE, synthesizeFestival } from "../../providers/tts/festival.ts";
import { synthesizeFlite } from "../../providers/tts/flite.ts";
import { fliteVoiceFor } from "../../providers/tts/offline-voices.ts";
import { openAiVoiceFor, synthesizeOpenAi } from "../../providers/tts/openai.ts";
import { synthesizePiper } from "../../providers/tts/piper.ts";
import type { Speech } from "../../providers/tts/wav.ts";
import type { CallContext, ProviderConfig } from "../../providers/types.ts";
import { voiceInfo, type Brief } from "../../videos/brief.ts";
import { kanaForSpeech } from "./japanese-reading.ts";

/** `rate`: speed relative to a voice's normal rate (1 = about 165 words a minute). */
export async function speakWith(config: ProviderConfig, text: string, voice: Brief["voice"], ctx: CallContext, rate = 1): Promise<Speech> {
  switch (config.provider) {
    case "openai":
      return synthesizeOpenAi(config, text, voice, ctx, rate);
    case "elevenlabs":
      return synthesizeElevenLabs(config, text, ctx, rate);
    case "piper":
      return withProcessTimeout("piper", ctx, (signal) => synthesizePiper(config, text, { ...ctx, signal }, rate));
    case "festival":
      return withProcessTimeout("festival", ctx, (signal) => synthesizeFestival(text, { binary: getEnv().FESTIVAL_BINARY, signal, rate }));
    case "flite":
      return withProcessTimeout("flite", ctx, (signal) => synthesizeFlite(text, fliteVoiceFor(voice), { binary: getEnv().FLITE_BINARY, signal, rate }));
    case "espeak-ng": {
      // espeak-ng reads Japanese kana only: kanji go to it as their pronunciation.
      const said = voiceInfo(voice)?.language === "ja" ? await kanaForSpeech(text) : text;
      return withProcessTimeout("espeak-ng", ctx, (signal) => synthesizeEspeak(said, voice, { binary: getEnv().ESPEAK_BINARY, signal, rate }));
    }
    default:
      throw unknownProviderError(config);
  }
}

/** The provider's own name for the voice that speaks a brief's voice: an espeak-ng voice
 *  ("es+f3"), festival's or flite's voice, OpenAI's or ElevenLabs' voice, Piper's model. */
export function speakerOf(config: ProviderConfig, voice: Brief["voice"]): string {
  switch (config.provider) {
    case "openai":
      return config.voice ?? openAiVoiceFor(voice);
    case "elevenlabs":
      return config.voice ?? ELEVENLABS_DEFAULT_VOICE;
    case "piper":
      return config.model ?? "";
    case "festival":
      return FESTIVAL_VOICE;
    case "flite":
      return fliteVoiceFor(voice);
    case "espeak-ng":
      return espeakVoiceFor(voice);
    default:
      return "";
  }
}
