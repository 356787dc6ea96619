// The languages Aura makes videos in: for each, its writing system, its direction, whether
// words are separated by spaces, and the fonts that draw it (Debian's Noto families). The app
// (briefs, voices, pacing, cards) and the render worker (captions, titles) read this one table.

/** Writing systems, as ISO 15924 codes (Hans/Hant/Jpan/Kore: the CJK faces differ per language). */
export const SCRIPTS = ["Latn", "Cyrl", "Arab", "Hebr", "Deva", "Beng", "Thai", "Hans", "Hant", "Jpan", "Kore"] as const;
export type Script = (typeof SCRIPTS)[number];

export type LanguageInfo = {
  /** BCP 47 primary tag (zh-Hant for Traditional Chinese). */
  code: string;
  /** The language's name in English, and in itself. */
  name: string;
  nativeName: string;
  script: Script;
  rtl: boolean;
  /** Words are separated by spaces (false: Chinese, Japanese, Thai). */
  spaced: boolean;
};

const L = <C extends string>(
  code: C,
  name: string,
  nativeName: string,
  script: Script,
  extra: Partial<Pick<LanguageInfo, "rtl" | "spaced">> = {},
): LanguageInfo & { code: C } => ({
  code,
  name,
  nativeName,
  script,
  rtl: extra.rtl ?? false,
  spaced: extra.spaced ?? true,
});

export const LANGUAGES = [
  L("en", "English", "English", "Latn"),
  L("es", "Spanish", "Español", "Latn"),
  L("fr", "French", "Français", "Latn"),
  L("de", "German", "Deutsch", "Latn"),
  L("it", "Italian", "Italiano", "Latn"),
  L("pt", "Portuguese", "Português", "Latn"),
  L("nl", "Dutch", "Nederlands", "Latn"),
  L("pl", "Polish", "Polski", "Latn"),
  L("ru", "Russian", "Русский", "Cyrl"),
  L("uk", "Ukrainian", "Українська", "Cyrl"),
  L("tr", "Turkish", "Türkçe", "Latn"),
  L("ar", "Arabic", "العربية", "Arab", { rtl: true }),
  L("he", "Hebrew", "עברית", "Hebr", { rtl: true }),
  L("fa", "Persian", "فارسی", "Arab", { rtl: true }),
  L("hi", "Hindi", "हिन्दी", "Deva"),
  L("bn", "Bengali", "বাংলা", "Beng"),
  L("th", "Thai", "ไทย", "Thai", { spaced: false }),
  L("vi", "Vietnamese", "Tiếng Việt", "Latn"),
  L("id", "Indonesian", "Bahasa Indonesia", "Latn"),
  L("zh", "Chinese (Simplified)", "简体中文", "Hans", { spaced: false }),
  L("zh-Hant", "Chinese (Traditional)", "繁體中文", "Hant", { spaced: false }),
  L("ja", "Japanese", "日本語", "Jpan", { spaced: false }),
  L("ko", "Korean", "한국어", "Kore"),
] as const satisfies readonly LanguageInfo[];

export type LanguageCode = (typeof LANGUAGES)[number]["code"];
export const LANGUAGE_CODES = LANGUAGES.map((l) => l.code) as [LanguageCode, ...LanguageCode[]];

const BY_CODE = new Map<string, LanguageInfo>(LANGUAGES.map((l) => [l.code.toLowerCase(), l]));

/**
 * The language for a BCP 47 tag, or undefined when Aura has none: the whole tag first
 * ("zh-Hant"), then its Chinese script or region ("zh-TW" and "zh-HK" are Traditional),
 * then its primary subtag ("pt-BR" → pt, "en-GB" → en).
 */
export function languageInfo(tag: string | undefined | null): LanguageInfo | undefined {
  if (!tag) return undefined;
  const lower = tag.trim().toLowerCase().replaceAll("_", "-");
  const exact = BY_CODE.get(lower);
  if (exact) return exact;
  const [primary, ...rest] = lower.split("-");
  if (primary === "zh" && rest.some((s) => s === "hant" || s === "tw" || s === "hk" || s === "mo")) return BY_CODE.get("zh-hant");
  return BY_CODE.get(primary ?? "");
}

/** The language for a tag, English when Aura has none (older videos have no language). */
export const languageOrEnglish = (tag: string | undefined | null) => languageInfo(tag) ?? LANGUAGES[0];

/** Font families (fontconfig names) per script, from fonts-noto-core and fonts-noto-cjk. */
export const FONT_FAMILIES: Record<Script, { sans: string; serif: string }> = {
  Latn: { sans: "Noto Sans", serif: "Noto Serif" },
  Cyrl: { sans: "Noto Sans", serif: "Noto Serif" },
  Arab: { sans: "Noto Sans Arabic", serif: "Noto Naskh Arabic" },
  Hebr: { sans: "Noto Sans Hebrew", serif: "Noto Serif Hebrew" },
  Deva: { sans: "Noto Sans Devanagari", serif: "Noto Serif Devanagari" },
  Beng: { sans: "Noto Sans Bengali", serif: "Noto Serif Bengali" },
  Thai: { sans: "Noto Sans Thai", serif: "Noto Serif Thai" },
  Hans: { sans: "Noto Sans CJK SC", serif: "Noto Serif CJK SC" },
  Hant: { sans: "Noto Sans CJK TC", serif: "Noto Serif CJK TC" },
  Jpan: { sans: "Noto Sans CJK JP", serif: "Noto Serif CJK JP" },
  Kore: { sans: "Noto Sans CJK KR", serif: "Noto Serif CJK KR" },
};

/** The colour emoji face, drawn where a renderer can draw colour glyphs. */
export const EMOJI_FONT_FAMILY = "Noto Color Emoji";

/** The font family that draws a language's text. */
export function fontFamilyFor(tag: string | undefined | null, kind: "sans" | "serif" = "sans") {
  return FONT_FAMILIES[languageOrEnglish(tag).script][kind];
}
