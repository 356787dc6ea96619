// The brief a user writes: validated with the same schema in the browser and on the server.
// Imports nothing server-only, so client components can use it.
import { z } from "zod";
import { hasSpeakableWords, textField } from "../text/policy.ts";
import { detectLanguage, type DetectedLanguage } from "../text/detect-language.ts";
import {
  CAPTION_POSITIONS,
  CAPTION_SIZES,
  EFFECT_SOUNDS,
  FORMATS,
  INSET_POSITIONS,
  LANGUAGE_CODES,
  LANGUAGES,
  type LanguageCode,
  languageInfo,
  MUSIC_MOODS as GENERATED_MUSIC_MOODS,
  QUALITIES,
  TRANSITIONS,
  WATERMARK_POSITIONS,
} from "@aura/render-contract";

export { CAPTION_POSITIONS, CAPTION_SIZES, FORMATS, INSET_POSITIONS, QUALITIES, TRANSITIONS, WATERMARK_POSITIONS };
export const FORMAT_LABELS: Record<(typeof FORMATS)[number], string> = {
  "mp4-h264": "MP4 (H.264), plays everywhere",
  "webm-vp9": "WebM (VP9)",
  "mov-prores": "ProRes 422 master (MOV, for editing; large)",
  "mp4-hevc-hdr10": "HDR10 HEVC 10-bit (MP4)",
};

/** The voices a brief can choose: two per language (a female and a male one), and English
 *  in its American and British accents. `espeak` is the espeak-ng voice that speaks it when
 *  nothing better can (espeak-ng speaks every language here). */
// Mandarin is read by `cmn-latn-pinyin`: espeak-ng 1.51's plain `cmn` voice reads each
// character's pinyin with its tone digit as English ("zhe four"), heard by bench/voices.ts --pace.
const ESPEAK: Record<LanguageCode, string> = {
  en: "en-us",
  es: "es",
  fr: "fr-fr",
  de: "de",
  it: "it",
  pt: "pt",
  nl: "nl",
  pl: "pl",
  ru: "ru",
  uk: "uk",
  tr: "tr",
  ar: "ar",
  he: "he",
  fa: "fa",
  hi: "hi",
  bn: "bn",
  th: "th",
  vi: "vi",
  id: "id",
  zh: "cmn-latn-pinyin",
  "zh-Hant": "cmn-latn-pinyin",
  ja: "ja",
  ko: "ko",
};

type VoiceInfo = { id: string; label: string; language: LanguageCode; gender: "female" | "male"; espeak: string };

export const VOICES: readonly VoiceInfo[] = [
  { id: "en-us-male", label: "American English — male", language: "en", gender: "male", espeak: "en-us" },
  { id: "en-us-female", label: "American English — female", language: "en", gender: "female", espeak: "en-us+f3" },
  { id: "en-gb-male", label: "British English — male", language: "en", gender: "male", espeak: "en-gb" },
  { id: "en-gb-female", label: "British English — female", language: "en", gender: "female", espeak: "en-gb+f2" },
  ...LANGUAGES.filter((l) => l.code !== "en").flatMap((l) =>
    (["female", "male"] as const).map((gender) => ({
      id: `${l.code}-${gender}`,
      label: `${l.name} — ${gender}`,
      language: l.code,
      gender,
      espeak: gender === "female" ? `${ESPEAK[l.code]}+f3` : ESPEAK[l.code],
    })),
  ),
];

/** The brief's voices that speak a language. */
export const voicesFor = (language: string) => VOICES.filter((v) => v.language === language);
export const voiceInfo = (id: string) => VOICES.find((v) => v.id === id);

export const TONES = ["informative", "friendly", "inspiring", "serious", "playful"] as const;
export const VISUAL_STYLES = ["modern", "warm", "minimal", "bold", "midnight"] as const;
export const ASPECT_RATIOS = ["16:9", "9:16", "1:1", "4:5"] as const;
/** 1080p: the short side is 1080 pixels; 2160p (4K): 2160, four times the pixels to render. */
export const RESOLUTIONS = ["1080p", "2160p"] as const;
/** No music, or a bed the render worker generates in one of its moods. */
export const MUSIC_MOODS = ["none", ...GENERATED_MUSIC_MOODS] as const;
/** A sound effect on every transition, or none. */
export const TRANSITION_SOUNDS = ["none", ...EFFECT_SOUNDS] as const;

/** Captions burned into the picture, a separate track, or both (the track off by default). */
export const CAPTIONS_MODES = ["burned", "track", "both"] as const;
export type CaptionsMode = (typeof CAPTIONS_MODES)[number];

/** Whether the worker draws the captions into the picture, and whether the player offers the
 *  captions track (and turns it on by itself). The sidecar files are written either way. */
export function captionsDelivery(brief: { captions: boolean; captionsMode?: CaptionsMode | undefined }) {
  const mode = brief.captionsMode ?? "burned";
  return { burned: brief.captions && mode !== "track", track: brief.captions && mode !== "burned" };
}

/** A stored brief's captions mode, read leniently (a brief from before the field, or one the
 *  schema would not read, is burned in, as every older video was). */
export function captionsModeOf(brief: unknown): CaptionsMode {
  const mode = (brief as { captionsMode?: unknown } | null)?.captionsMode;
  return CAPTIONS_MODES.find((m) => m === mode) ?? "burned";
}

/** Whether a stored brief's player offers the captions track, and in which language: not when
 *  captions are off or burned into the picture (read leniently, as captionsModeOf). */
export function captionsTrackOf(brief: unknown): { language: string } | null {
  const b = brief as { captions?: unknown; language?: unknown } | null;
  if (b?.captions === false || captionsModeOf(brief) === "burned") return null;
  return { language: typeof b?.language === "string" ? b.language : "en" };
}

/** Whether the render of a stored brief grows a preview to watch while it runs, whatever the
 *  worker's encoder: a render cut into segments does (an H.264 MP4 in one pass; Premium and
 *  Maximum take two passes in software, WebM and MOV are made in one piece). A worker with a
 *  hardware H.264 encoder also cuts Premium and Maximum into segments: the job page shows that
 *  preview when it appears, without announcing it. */
export function expectsPreview(brief: unknown): boolean {
  const b = brief as { format?: unknown; quality?: unknown } | null;
  return (b?.format ?? "mp4-h264") === "mp4-h264" && b?.quality !== "premium" && b?.quality !== "maximum";
}

/** With the brand kit: the kit's music track, or the music this brief chose. */
export const BRAND_MUSIC = ["kit", "brief"] as const;

export { LANGUAGES, LANGUAGE_CODES, type LanguageCode };

/** The brief's fields, without the checks between them (for picking a few fields). */
export const briefFields = z.object({
  /** BCP 47 (en, es, zh-Hant…). Left out: the language of the topic, detected, else the voice's. */
  language: z
    .string()
    .trim()
    .max(35)
    .optional()
    .refine((tag) => !tag || languageInfo(tag), {
      error: (issue) => `Language ${String(issue.input)} is not one Aura can narrate; choose one of: ${LANGUAGE_CODES.join(", ")}`,
    })
    .describe(
      `The video's language, a BCP 47 tag: one of ${LANGUAGE_CODES.join(", ")} (zh-TW and zh-HK are read as zh-Hant, pt-BR as pt). Left out: the language the topic is written in, when it can be told, else the voice's. The voice must speak it.`,
    ),
  topic: textField("Topic", { min: 3, max: 2000, multiline: true }).refine(hasSpeakableWords, "Topic must contain words"),
  audience: textField("Audience", { min: 2, max: 200 }),
  tone: z.enum(TONES, { error: `Tone must be one of: ${TONES.join(", ")}` }),
  targetLengthSec: z.coerce
    .number({ error: "Target length must be a number of seconds" })
    .int("Target length must be a whole number of seconds")
    .min(15, "Target length must be at least 15 seconds")
    .max(180, "Target length must be at most 180 seconds"),
  aspectRatio: z.enum(ASPECT_RATIOS, { error: `Aspect ratio must be one of: ${ASPECT_RATIOS.join(", ")}` }),
  resolution: z.enum(RESOLUTIONS, { error: `Resolution must be one of: ${RESOLUTIONS.join(", ")}` }).default("1080p"),
  voice: z.string().refine((id) => voiceInfo(id), "Voice must be one of the listed voices"),
  visualStyle: z.enum(VISUAL_STYLES, { error: `Visual style must be one of: ${VISUAL_STYLES.join(", ")}` }),
  music: z.enum(MUSIC_MOODS, { error: `Music must be one of: ${MUSIC_MOODS.join(", ")}` }).default("calm"),
  captions: z.boolean().default(true),
  /** How captions reach the viewer (with `captions` on): drawn into the picture, as a track the
   *  player offers (the viewer turns it on), or both with the track off by default. Never both
   *  showing at once. A stored brief without it reads as burned in, as every video was. */
  captionsMode: z
    .enum(CAPTIONS_MODES, { error: `Captions mode must be one of: ${CAPTIONS_MODES.join(", ")}` })
    .default("burned")
    .describe(
      'How captions reach the viewer when `captions` is on: "burned" (drawn into the picture; the .vtt stays downloadable), "track" (a captions track the player offers, off until the viewer turns it on), or "both" (burned in, and the track there but off by default).',
    ),
  captionSize: z.enum(CAPTION_SIZES, { error: `Caption size must be one of: ${CAPTION_SIZES.join(", ")}` }).default("medium"),
  captionPosition: z.enum(CAPTION_POSITIONS, { error: `Caption position must be one of: ${CAPTION_POSITIONS.join(", ")}` }).default("bottom"),
  /** Each word lights up as it is spoken. */
  captionHighlight: z.boolean().default(false),
  /** Encoding: Draft is fastest, Maximum is smallest for its quality (two passes). */
  quality: z.enum(QUALITIES, { error: `Quality must be one of: ${QUALITIES.join(", ")}` }).default("standard"),
  transition: z.enum(TRANSITIONS, { error: `Transition must be one of: ${TRANSITIONS.join(", ")}` }).default("crossfade"),
  transitionSound: z.enum(TRANSITION_SOUNDS, { error: `Transition sound must be one of: ${TRANSITION_SOUNDS.join(", ")}` }).default("none"),
  format: z.enum(FORMATS, { error: `Format must be one of: ${FORMATS.join(", ")}` }).default("mp4-h264"),
  /** Text drawn over the whole video (never parsed by FFmpeg: it goes through a file). */
  watermark: z
    .object({
      text: textField("Watermark text", { min: 1, max: 60 }),
      position: z.enum(WATERMARK_POSITIONS, { error: `Watermark position must be one of: ${WATERMARK_POSITIONS.join(", ")}` }).default("bottom-right"),
    })
    .nullable()
    .default(null),
  /** The video's title over the opening, fading in, and each later scene's name in a lower third. */
  titles: z.boolean().default(false),
  /** The workspace's brand kit (logo, colours, caption font, intro and outro, music): used or
   *  not, and with it the music from the kit or this brief's own choice, the logo on or off.
   *  Left out, a new video uses the kit when the workspace has one. */
  brand: z
    .object({
      use: z.boolean({ error: "Brand kit use must be true or false" }),
      music: z.enum(BRAND_MUSIC, { error: `Brand music must be one of: ${BRAND_MUSIC.join(", ")}` }).default("kit"),
      logo: z.boolean({ error: "Brand logo must be true or false" }).default(true),
    })
    .optional(),
  /** Write the script with the most relevant passages of the workspace's reference documents. */
  useKnowledge: z.boolean().default(true),
  /** Pause after the script so a person can edit and approve it before production. */
  reviewScript: z.boolean().default(false),
});

/**
 * The brief's language: the one it names, else the topic's when detection is sure of it, else
 * the voice's. Pure, so the browser, the API and every step find the same one.
 */
export function resolveLanguage(brief: { language?: string | undefined; topic: string; voice: string }): {
  language: LanguageCode | undefined;
  /** A language the topic is confidently written in that Aura cannot narrate. */
  unsupported?: DetectedLanguage;
} {
  const named = languageInfo(brief.language);
  if (named) return { language: named.code as LanguageCode };
  const detected = detectLanguage(brief.topic);
  if (detected?.confident) {
    if (!detected.info) return { language: undefined, unsupported: detected };
    return { language: detected.info.code as LanguageCode };
  }
  return { language: voiceInfo(brief.voice)?.language };
}

/** The brief as users write it, checked: its language is one Aura narrates and its voice
 *  speaks that language. Parsed, the language is always set. */
export const briefSchema = briefFields
  .superRefine((brief, ctx) => {
    const voice = voiceInfo(brief.voice);
    if (!voice || (brief.language && !languageInfo(brief.language))) return;
    const { language, unsupported } = resolveLanguage(brief);
    if (unsupported) {
      ctx.addIssue({
        code: "custom",
        path: ["language"],
        message: `The topic is written in ${unsupported.name} (${unsupported.code}), and no installed voice speaks ${unsupported.name}; write the topic in, or choose, one of: ${LANGUAGE_CODES.join(", ")}`,
      });
      return;
    }
    if (language && voice.language !== language) {
      const name = languageInfo(language)!.name;
      ctx.addIssue({
        code: "custom",
        path: ["voice"],
        message: `Voice ${voice.label} does not speak ${name}; choose one of: ${voicesFor(language)
          .map((v) => v.id)
          .join(", ")}`,
      });
    }
  })
  .transform((brief) => ({ ...brief, language: resolveLanguage(brief).language ?? "en" }));

/** A brief as stored with its video: read back without the checks between fields, which
 *  judge a new brief only. A video from before languages has none stored and is in its
 *  voice's language (every voice was English); its topic is not detected again, so a topic
 *  that detection now reads otherwise never makes an old video unreadable. */
export const storedBriefSchema = briefFields.transform((brief) => ({
  ...brief,
  language: (languageInfo(brief.language)?.code ?? voiceInfo(brief.voice)?.language ?? "en") as LanguageCode,
}));

export type Brief = z.infer<typeof briefSchema>;
export type BriefInput = z.input<typeof briefSchema>;

export const DIMENSIONS: Record<Brief["aspectRatio"], { width: number; height: number }> = {
  "16:9": { width: 1920, height: 1080 },
  "9:16": { width: 1080, height: 1920 },
  "1:1": { width: 1080, height: 1080 },
  "4:5": { width: 1080, height: 1350 },
};

/** The video's size in pixels: its aspect ratio at its resolution. */
export function videoSize(brief: Pick<Brief, "aspectRatio" | "resolution">) {
  const { width, height } = DIMENSIONS[brief.aspectRatio];
  const scale = brief.resolution === "2160p" ? 2 : 1;
  return { width: width * scale, height: height * scale };
}

/** Field → first message, for showing errors next to form fields. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    out[key] ??= issue.message;
  }
  return out;
}
