// Which language a text is written in: first by its writing system (Arabic letters, Hangul,
// kana…), then, among the languages that share one (Latin, Cyrillic, Arabic), by franc-min's
// trigram statistics. Imports nothing server-only: the brief form detects as the user types.
import { francAll } from "franc-min";
import { languageInfo, type LanguageInfo } from "@aura/render-contract";

export type DetectedLanguage = {
  /** BCP 47 tag, also for languages Aura cannot narrate (then `info` is undefined). */
  code: string;
  /** English name of the language (for messages). */
  name: string;
  info: LanguageInfo | undefined;
  /** False when the text is too short or too mixed to tell. */
  confident: boolean;
};

/** Scripts that name one language Aura knows, or a language it does not. */
const SCRIPT_LANGUAGE: [RegExp, string, string][] = [
  [/\p{Script=Hangul}/u, "ko", "Korean"],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, "ja", "Japanese"],
  [/\p{Script=Hebrew}/u, "he", "Hebrew"],
  [/\p{Script=Devanagari}/u, "hi", "Hindi"],
  [/\p{Script=Bengali}/u, "bn", "Bengali"],
  [/\p{Script=Thai}/u, "th", "Thai"],
  [/\p{Script=Georgian}/u, "ka", "Georgian"],
  [/\p{Script=Armenian}/u, "hy", "Armenian"],
  [/\p{Script=Greek}/u, "el", "Greek"],
  [/\p{Script=Ethiopic}/u, "am", "Amharic"],
  [/\p{Script=Tamil}/u, "ta", "Tamil"],
  [/\p{Script=Telugu}/u, "te", "Telugu"],
  [/\p{Script=Gujarati}/u, "gu", "Gujarati"],
  [/\p{Script=Gurmukhi}/u, "pa", "Punjabi"],
  [/\p{Script=Kannada}/u, "kn", "Kannada"],
  [/\p{Script=Malayalam}/u, "ml", "Malayalam"],
  [/\p{Script=Sinhala}/u, "si", "Sinhala"],
  [/\p{Script=Khmer}/u, "km", "Khmer"],
  [/\p{Script=Lao}/u, "lo", "Lao"],
  [/\p{Script=Myanmar}/u, "my", "Burmese"],
];

/** franc's ISO 639-3 codes → BCP 47, for the languages franc-min tells apart that matter here. */
const FRANC: Record<string, [string, string]> = {
  eng: ["en", "English"],
  spa: ["es", "Spanish"],
  fra: ["fr", "French"],
  deu: ["de", "German"],
  ita: ["it", "Italian"],
  por: ["pt", "Portuguese"],
  nld: ["nl", "Dutch"],
  pol: ["pl", "Polish"],
  tur: ["tr", "Turkish"],
  vie: ["vi", "Vietnamese"],
  ind: ["id", "Indonesian"],
  zlm: ["ms", "Malay"],
  swh: ["sw", "Swahili"],
  tgl: ["tl", "Tagalog"],
  ces: ["cs", "Czech"],
  slk: ["sk", "Slovak"],
  ron: ["ro", "Romanian"],
  hun: ["hu", "Hungarian"],
  swe: ["sv", "Swedish"],
  dan: ["da", "Danish"],
  nob: ["nb", "Norwegian"],
  fin: ["fi", "Finnish"],
  hrv: ["hr", "Croatian"],
  rus: ["ru", "Russian"],
  ukr: ["uk", "Ukrainian"],
  bel: ["be", "Belarusian"],
  bul: ["bg", "Bulgarian"],
  srp: ["sr", "Serbian"],
  kaz: ["kk", "Kazakh"],
  arb: ["ar", "Arabic"],
  pes: ["fa", "Persian"],
  urd: ["ur", "Urdu"],
};

const letters = (text: string, re: RegExp) => (text.match(re) ?? []).length;

const result = (code: string, name: string, confident: boolean): DetectedLanguage => ({ code, name, info: languageInfo(code), confident });

/**
 * The language of a text, or null when it has no letters. Short texts (under about 20
 * letters) are reported as not confident: the caller keeps its own default then.
 */
export function detectLanguage(text: string): DetectedLanguage | null {
  const all = letters(text, /\p{L}/gu);
  if (all === 0) return null;
  const han = letters(text, /\p{Script=Han}/gu);
  // Kana or Hangul decide Japanese or Korean even among many Han characters.
  for (const [re, code, name] of SCRIPT_LANGUAGE.slice(0, 2)) if (re.test(text)) return result(code, name, true);
  if (han / all > 0.5) return result(traditional(text) ? "zh-Hant" : "zh", "Chinese", true);
  const counts = SCRIPT_LANGUAGE.slice(2).map(([re, code, name]) => ({ code, name, n: letters(text, new RegExp(re.source, "gu")) }));
  const top = counts.sort((a, b) => b.n - a.n)[0]!;
  if (top.n / all > 0.5) return result(top.code, top.name, true);

  const arabic = letters(text, /\p{Script=Arabic}/gu);
  if (arabic / all > 0.5) {
    // Letters Persian has and Arabic does not (پ چ ژ گ, Persian kaf and yeh).
    if (/[\u067e\u0686\u0698\u06af\u06a9\u06cc]/.test(text)) return result("fa", "Persian", true);
    if (/[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]/.test(text)) return result("ur", "Urdu", true);
    return result("ar", "Arabic", true);
  }
  const cyrillic = letters(text, /\p{Script=Cyrillic}/gu);
  if (cyrillic / all > 0.5) {
    if (/[іїєґІЇЄҐ]/.test(text)) return result("uk", "Ukrainian", true);
    if (/[ўЎ]/.test(text)) return result("be", "Belarusian", true);
    // ы, э and ё: Russian has them, Bulgarian, Serbian and Macedonian do not (Kazakh's own
    // letters are checked first by franc among the rest).
    if (/[ыЫэЭёЁ]/.test(text) && !/[әғқңөұүһі]/i.test(text)) return result("ru", "Russian", letters(text, /\p{L}/gu) >= 12);
    // Serbian and Kazakh are told by letters of their own; without them franc chooses among
    // the rest (it takes short Russian sentences for Serbian otherwise).
    // Bulgarian writes ъ as a vowel in almost every sentence; Russian text without it is not
    // Bulgarian, whatever the trigrams of a short sentence say.
    const candidates = /[ъЪ]/.test(text) ? ["rus", "ukr", "bel", "bul"] : ["rus", "ukr", "bel"];
    if (/[ђјљњћџЂЈЉЊЋЏ]/.test(text)) candidates.push("srp");
    if (/[әғқңөұүһӘҒҚҢӨҰҮҺ]/.test(text)) candidates.push("kaz");
    return fromFranc(text, all, candidates) ?? result("ru", "Russian", false);
  }
  // Vietnamese letters with stacked tone marks, which no other Latin language here uses.
  if (letters(text, /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/giu) / all > 0.08) return result("vi", "Vietnamese", true);
  return fromLatin(text, all);
}

function fromFranc(text: string, letterCount: number, only: string[] | undefined) {
  const ranked = francAll(text, { minLength: 3, ...(only ? { only } : {}) });
  const [best, second] = ranked;
  if (!best || best[0] === "und") return null;
  const known = FRANC[best[0]];
  if (!known) return null;
  // franc scores the best 1; a close second on a short text means it cannot tell.
  const confident = letterCount >= 20 && (!second || second[1] < 0.93);
  return result(known[0], known[1], confident);
}

/**
 * Short words common in one Latin-script language and rare in the others (words several of
 * them share, like de, en, la, a, e, are left out). franc's trigrams alone misread short
 * English: franc-min ranks "Quick demo: how Aura turns a brief into a narrated video"
 * Portuguese and a two-sentence English topic Spanish. These words settle most briefs.
 */
const FUNCTION_WORDS: [code: string, name: string, words: Set<string>][] = (
  [
    [
      "en",
      "English",
      "the and of are was were how what why with for this that into from by your their its they you we has have not which who about does can will be or at it",
    ],
    ["es", "Spanish", "el los las y muy pero también cuando hay sus qué cómo más ellos nosotros pueden puede"],
    ["fr", "French", "le les des et est une dans pour sur qui avec au aux du pas plus ce cette nous vous ils sont comment pourquoi"],
    ["de", "German", "der die und ist nicht mit ein eine auf für sich dem den wie wir sie auch werden wird zu von"],
    ["it", "Italian", "gli è della delle dei nel nella per che sono anche più questo questa perché"],
    ["pt", "Portuguese", "o os é da do dos não uma um em com são também mais"],
    ["nl", "Dutch", "het een van zijn niet dat op voor met hoe waarom ook worden wordt naar ze om te maar bij deze wat"],
    ["pl", "Polish", "w z się jest że jak dla są czy oraz ich"],
    ["tr", "Turkish", "ve bir bu için ile çok daha olan nasıl neden gibi"],
    ["id", "Indonesian", "dan yang ke dari untuk dengan ini itu adalah tidak bagaimana mengapa juga"],
    ["sw", "Swahili", "ya wa kwa za ni katika hii kuwa"],
  ] as const
).map(([code, name, words]) => [code, name, new Set(words.split(" "))]);

/** A Latin-script text: by its function words when they clearly favour one language, else by
 *  franc, trusted alone only on a longer text (40 letters) or when the words agree with it. */
function fromLatin(text: string, letterCount: number) {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const [best, second] = FUNCTION_WORDS.map(([code, name, list]) => ({ code, name, n: words.filter((w) => list.has(w)).length })).sort((a, b) => b.n - a.n);
  if (best && best.n >= 2 && best.n >= 2 * (second?.n ?? 0)) return result(best.code, best.name, true);
  const franc = fromFranc(text, letterCount, undefined);
  if (!franc) return result("en", "English", false);
  const agrees = best !== undefined && best.n > (second?.n ?? 0) && best.code === franc.code;
  // Without a single function word, trigrams alone decide only on a long text: short lists of
  // terms ("Machine learning basics: gradient descent, backpropagation") fool them.
  return { ...franc, confident: franc.confident && (agrees || (best?.n === 0 && letterCount >= 160)) };
}

/** Characters that exist only in Traditional Chinese (a sample of common ones). */
const TRADITIONAL_ONLY = /[們這個來說時會對於學國與經發開關過還問題為點氣電話體東車長書區實現場機動當種後輕認讓議變應幾從處麼見產業總門頭樣]/gu;
const SIMPLIFIED_ONLY = /[们这个来说时会对于学国与经发开关过还问题为点气电话体东车长书区实现场机动当种后轻认让议变应几从处么见产业总门头样]/gu;

function traditional(text: string) {
  return letters(text, TRADITIONAL_ONLY) > letters(text, SIMPLIFIED_ONLY);
}
