// Which of Aura's languages each voice provider speaks, so that the voice chain never hands a
// narration to a voice that cannot say it. Client-safe (no server imports): the Providers page
// shows the same lists. Sources: festival's and flite's installed voices are American English;
// espeak-ng speaks every language (its voice per language is VOICES[].espeak, each checked by
// bench/voices.ts --pace); Piper speaks its model's language, named at the start of the model
// file (de_DE-thorsten-medium.onnx); OpenAI's speech follows Whisper's languages, which hold all
// of Aura's; ElevenLabs by model, from its models page.
import { LANGUAGE_CODES, languageInfo, type LanguageCode } from "@aura/render-contract";

const ALL: readonly LanguageCode[] = LANGUAGE_CODES;

/** eleven_multilingual_v2's documented languages that Aura has (Chinese covers both scripts). */
const ELEVEN_MULTILINGUAL_V2: readonly LanguageCode[] = [
  "en",
  "ja",
  "zh",
  "zh-Hant",
  "de",
  "hi",
  "fr",
  "ko",
  "pt",
  "it",
  "es",
  "id",
  "nl",
  "tr",
  "pl",
  "ar",
  "uk",
  "ru",
];
/** ElevenLabs models by id; an unknown model is taken as the API's default, eleven_multilingual_v2. */
const ELEVENLABS_MODELS: Record<string, readonly LanguageCode[]> = {
  eleven_multilingual_v2: ELEVEN_MULTILINGUAL_V2,
  // Flash and Turbo v2.5: v2's languages plus Hungarian, Norwegian and Vietnamese.
  eleven_flash_v2_5: [...ELEVEN_MULTILINGUAL_V2, "vi"],
  eleven_turbo_v2_5: [...ELEVEN_MULTILINGUAL_V2, "vi"],
  // v3: 70+ languages, every one of Aura's among them.
  eleven_v3: ALL,
  eleven_flash_v2: ["en"],
  eleven_turbo_v2: ["en"],
  eleven_monolingual_v1: ["en"],
};
export const ELEVENLABS_DEFAULT_MODEL = "eleven_multilingual_v2";

/** The language of a Piper voice model from its file name (`de_DE-thorsten-medium.onnx` → de,
 *  `zh_CN-huayan-medium.onnx` → zh); no model, or a name that does not start with a language:
 *  English, Piper's usual voice (as before languages were checked). A language Aura lacks: none. */
export function piperModelLanguage(model: string | null | undefined): LanguageCode | undefined {
  // Piper names its voices language_REGION-name-quality.onnx.
  const m = model ? /^([a-z]{2,3})_([A-Z]{2})-/.exec(model) : null;
  if (!m) return "en";
  const tag = m[1] === "zh" && (m[2] === "TW" || m[2] === "HK") ? "zh-Hant" : m[1]!;
  return languageInfo(tag)?.code as LanguageCode | undefined;
}

const OPENAI = ALL.filter((code) => code !== "bn");

/** The languages a voice provider speaks with this setting (its model for Piper and
 *  ElevenLabs). An unknown provider speaks none. */
export function voiceLanguages(provider: string, config: { model?: string | null } = {}): readonly LanguageCode[] {
  switch (provider) {
    case "festival":
    case "flite":
      return ["en"];
    case "espeak-ng":
      return ALL;
    case "openai":
      // OpenAI's speech follows Whisper's documented languages, which leave out Bengali.
      return OPENAI;
    case "piper": {
      const language = piperModelLanguage(config.model);
      return language ? [language] : [];
    }
    case "elevenlabs":
      return ELEVENLABS_MODELS[config.model ?? ELEVENLABS_DEFAULT_MODEL] ?? ELEVEN_MULTILINGUAL_V2;
    default:
      return [];
  }
}

/** Whether a voice provider with this setting speaks a language (a BCP 47 tag). */
export function speaksLanguage(provider: string, config: { model?: string | null }, language: string) {
  const code = languageInfo(language)?.code;
  return code !== undefined && voiceLanguages(provider, config).includes(code as LanguageCode);
}

/** A short description of what a provider speaks, for the Providers page. */
export function describeVoiceLanguages(provider: string): string {
  switch (provider) {
    case "festival":
    case "flite":
      return "English only";
    case "espeak-ng":
      return `all ${ALL.length} of Aura's languages`;
    case "openai":
      return "Whisper's documented languages: every one of Aura's but Bengali";
    case "piper":
      return "the language of its voice model, from the start of the file name (de_DE-… is German); none set, or no language in the name: English";
    case "elevenlabs":
      return "by model: eleven_multilingual_v2 (the default) 18 of Aura's languages, not Hebrew, Persian, Bengali, Thai or Vietnamese; flash and turbo v2.5 add Vietnamese; eleven_v3 all; eleven_flash_v2 and turbo_v2 English only";
    default:
      return "";
  }
}
