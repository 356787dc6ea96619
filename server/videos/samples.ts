// A voice sample for the brief form: one short sentence in the voice's language, spoken by the
// workspace's voice chain exactly as a narration would be (the same providers in the same
// order, the built-in voices that fit the brief's voice last), so the user hears what the
// video will sound like before choosing. Each sample is stored once per workspace, provider,
// provider voice and brief voice, under the workspace's own storage prefix (deleted with the
// workspace), and served only to that workspace's members (app/api/samples/voice/[sampleId]).
// Making new samples is limited per workspace per minute, counted from the stored samples'
// times, so every app process sees the same count; a stored sample is always served.
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "../lib/errors.ts";
import { log } from "../lib/log.ts";
import type { WorkspaceContext } from "../lib/service-context.ts";
import { speakerOf, speakWith } from "../pipeline/narration/speak.ts";
import { makeSpeakable } from "../pipeline/narration/speakable.ts";
import { buildChain, ChainFailedError, runChain } from "../providers/chain.ts";
import { speaksLanguage } from "../providers/tts/languages.ts";
import { offlineVoicesFor } from "../providers/tts/offline-voices.ts";
import type { ProviderConfig } from "../providers/types.ts";
import { getStore, putObject } from "../storage/store.ts";
import { languageInfo } from "@aura/render-contract";
import { type LanguageCode, voiceInfo } from "./brief.ts";

/** What a voice says as its sample, in each of the brief's languages. */
export const SAMPLE_SENTENCES: Record<LanguageCode, string> = {
  en: "Hello! This is how I will sound when I narrate your video.",
  es: "¡Hola! Así sonaré cuando narre tu vídeo.",
  fr: "Bonjour ! Voici ma voix quand je raconte votre vidéo.",
  de: "Hallo! So klinge ich, wenn ich Ihr Video spreche.",
  it: "Ciao! Ecco come suonerò quando racconterò il tuo video.",
  pt: "Olá! É assim que vou soar ao narrar o seu vídeo.",
  nl: "Hallo! Zo klink ik als ik je video inspreek.",
  pl: "Cześć! Tak będzie brzmiał mój głos w Twoim filmie.",
  ru: "Привет! Так будет звучать мой голос в вашем видео.",
  uk: "Привіт! Так звучатиме мій голос у вашому відео.",
  tr: "Merhaba! Videonuzu anlatırken sesim böyle olacak.",
  ar: "مرحبًا! هكذا سيبدو صوتي عندما أروي الفيديو الخاص بك.",
  he: "שלום! כך יישמע הקול שלי כשאקריין את הסרטון שלך.",
  fa: "سلام! صدای من هنگام روایت ویدیوی شما این‌گونه خواهد بود.",
  hi: "नमस्ते! आपके वीडियो में मेरी आवाज़ ऐसी सुनाई देगी।",
  bn: "নমস্কার! আপনার ভিডিওতে আমার কণ্ঠ এমন শোনাবে।",
  th: "สวัสดี นี่คือเสียงของฉันเมื่อเล่าวิดีโอของคุณ",
  vi: "Xin chào! Đây là giọng của tôi khi đọc video của bạn.",
  id: "Halo! Beginilah suara saya saat menarasikan video Anda.",
  zh: "你好！这就是我为你的视频配音时的声音。",
  "zh-Hant": "你好！這就是我為你的影片配音時的聲音。",
  ja: "こんにちは。これが動画をナレーションするときの私の声です。",
  ko: "안녕하세요! 영상을 읽어 드릴 때 제 목소리는 이렇습니다.",
};

/** New samples a workspace may make in a minute (stored ones are served without limit). */
export const SAMPLES_PER_MINUTE = 10;

export const voiceSampleInputSchema = z.object({
  voice: z.string({ error: "Choose a voice to hear" }).refine((id) => voiceInfo(id), "Voice must be one of the listed voices"),
});

export const voiceSampleSchema = z.object({
  /** Names the stored sample within the workspace; the audio is at `url`. */
  sampleId: z.string(),
  url: z.string(),
  /** The provider that spoke it and its own name for the voice ("flite", "rms"). */
  provider: z.string(),
  speaker: z.string(),
  text: z.string(),
  /** Served from an earlier request's recording. */
  cached: z.boolean(),
});
export type VoiceSample = z.infer<typeof voiceSampleSchema>;

const SAMPLE_ID = /^[0-9a-f]{32}$/;
const prefixOf = (workspaceId: string) => `workspaces/${workspaceId}/voice-samples/`;

/** The storage key of a workspace's sample; null for anything that is not a sample id. */
export function voiceSampleKey(workspaceId: string, sampleId: string) {
  return SAMPLE_ID.test(sampleId) ? `${prefixOf(workspaceId)}${sampleId}.wav` : null;
}

/** One sample per provider setting (provider, model, voice, address), brief voice and sentence. */
function sampleIdOf(config: ProviderConfig, voice: string, language: string, text: string) {
  const parts = [config.provider, config.model ?? "", speakerOf(config, voice), config.baseUrl ?? "", voice, language, text];
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 32);
}

/** Samples being made in this process, by workspace and id: a second click waits for the first. */
const making = new Map<string, Promise<{ sampleId: string; cached: boolean }>>();

async function refuseWhenOverLimit(workspaceId: string) {
  const since = Date.now() - 60_000;
  const recent = (await (await getStore()).listModified(prefixOf(workspaceId))).filter((o) => o.modifiedAt.getTime() > since).length;
  if (recent >= SAMPLES_PER_MINUTE)
    throw new AppError("TOO_MANY_REQUESTS", `This workspace made ${recent} voice samples in the last minute, the most allowed. Wait a minute, then try again.`);
}

/**
 * The sample of a brief voice in the workspace, spoken by the first voice of the workspace's
 * chain that can speak it, made now or read back from storage.
 */
export async function getVoiceSample(ctx: WorkspaceContext, input: z.input<typeof voiceSampleInputSchema>, signal?: AbortSignal): Promise<VoiceSample> {
  const { voice } = voiceSampleInputSchema.parse(input);
  const info = voiceInfo(voice)!;
  const language = languageInfo(info.language)!;
  const text = makeSpeakable(SAMPLE_SENTENCES[info.language], info.language);
  const { links, skipped } = await buildChain(ctx.db, ctx.workspaceId, "voice", {
    offline: offlineVoicesFor(voice),
    unfit: (config) => (speaksLanguage(config.provider, config, language.code) ? undefined : `does not speak ${language.name}`),
  });
  const store = await getStore();
  const stored = async (sampleId: string) => (await store.head(voiceSampleKey(ctx.workspaceId, sampleId)!)) !== null;
  // The chain's first voice already spoke it: no provider is called, and no limit applies.
  const first = links[0]?.config;
  if (first && (await stored(sampleIdOf(first, voice, language.code, text)))) return answer(first, sampleIdOf(first, voice, language.code, text), true);

  await refuseWhenOverLimit(ctx.workspaceId);
  try {
    const outcome = await runChain(
      links,
      skipped,
      (config, call) => {
        const sampleId = sampleIdOf(config, voice, language.code, text);
        const key = `${ctx.workspaceId}/${sampleId}`;
        let pending = making.get(key);
        if (!pending) {
          pending = (async () => {
            if (await stored(sampleId)) return { sampleId, cached: true };
            const speech = await speakWith(config, text, voice, call);
            await putObject(voiceSampleKey(ctx.workspaceId, sampleId)!, speech.wav, "audio/wav");
            return { sampleId, cached: false };
          })().finally(() => making.delete(key));
          making.set(key, pending);
        }
        return pending;
      },
      { signal },
    );
    const config = links.find((l) => l.config.provider === outcome.provider)!.config;
    return answer(config, outcome.value.sampleId, outcome.value.cached);
  } catch (error) {
    if (!(error instanceof ChainFailedError)) throw error;
    // The providers' own replies go to the log, not to the form.
    log.warn("voice sample failed", { workspaceId: ctx.workspaceId, voice, failures: error.failures });
    throw new AppError("CONFLICT", `No voice could speak a sample of ${info.label} just now. Try again in a moment, or check the voice providers in Settings.`);
  }

  function answer(config: ProviderConfig, sampleId: string, cached: boolean): VoiceSample {
    return { sampleId, url: `/api/samples/voice/${sampleId}`, provider: config.provider, speaker: speakerOf(config, voice), text, cached };
  }
}
