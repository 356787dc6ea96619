// Speakable text in every language but English (speakable.ts keeps English's own rules):
// numbers, years, dates, times, currencies, percentages and units become the language's words,
// from n2words's module for the language and the Unicode CLDR names that Intl knows (month
// names, currency and unit names with their plural forms). Digits written in the language's own
// script (Arabic-Indic, Persian, Devanagari, Bengali, Thai, full-width) are read as digits.
// Abbreviations are left alone: no rule here knows them. Captions keep the written form.
import * as ar from "n2words/ar-SA";
import * as bn from "n2words/bn-BD";
import * as de from "n2words/de-DE";
import * as es from "n2words/es-ES";
import * as fa from "n2words/fa-IR";
import * as fr from "n2words/fr-FR";
import * as he from "n2words/he-IL";
import * as hi from "n2words/hi-IN";
import * as id from "n2words/id-ID";
import * as it from "n2words/it-IT";
import * as ja from "n2words/ja-JP";
import * as ko from "n2words/ko-KR";
import * as nl from "n2words/nl-NL";
import * as pl from "n2words/pl-PL";
import * as pt from "n2words/pt-PT";
import * as ru from "n2words/ru-RU";
import * as th from "n2words/th-TH";
import * as tr from "n2words/tr-TR";
import * as uk from "n2words/uk-UA";
import * as vi from "n2words/vi-VN";
import * as zhHans from "n2words/zh-Hans-CN";
import * as zhHant from "n2words/zh-Hant-TW";

/** A number in words; Chinese with its everyday numerals (一千二百三十四, not the financial 壹仟贰佰…). */
type Cardinal = (value: string) => string;
const CARDINALS: Record<string, Cardinal> = {
  ar: ar.toCardinal,
  bn: bn.toCardinal,
  de: de.toCardinal,
  es: es.toCardinal,
  fa: fa.toCardinal,
  fr: fr.toCardinal,
  he: he.toCardinal,
  hi: hi.toCardinal,
  id: id.toCardinal,
  it: it.toCardinal,
  ja: ja.toCardinal,
  ko: ko.toCardinal,
  nl: nl.toCardinal,
  pl: pl.toCardinal,
  pt: pt.toCardinal,
  ru: ru.toCardinal,
  th: th.toCardinal,
  tr: tr.toCardinal,
  uk: uk.toCardinal,
  vi: vi.toCardinal,
  zh: (value) => zhHans.toCardinal(value, { formal: false }),
  "zh-Hant": (value) => zhHant.toCardinal(value, { formal: false }),
};

/** Languages that write a decimal comma (1.234,5), and those of them that group thousands
 *  with a space (1 234,5) rather than a full stop. */
const DECIMAL_COMMA = new Set(["es", "fr", "de", "it", "pt", "nl", "pl", "ru", "uk", "tr", "id", "vi"]);
const SPACE_GROUPS = new Set(["fr", "pl", "ru", "uk"]);
const CHINESE = new Set(["zh", "zh-Hant"]);
/** The Intl locale for CLDR's names (Traditional Chinese as written in Taiwan). */
const locale = (language: string) => (language === "zh-Hant" ? "zh-TW" : language);

/** The first code point of each script's 0–9 run, for reading native digits. */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50, 0xff10];
const NATIVE_DIGIT = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\u0e50-\u0e59\uff10-\uff19]/g;
const asciiDigits = (text: string) =>
  text.replace(NATIVE_DIGIT, (d) => {
    const cp = d.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((z) => cp >= z && cp <= z + 9)!;
    return String(cp - zero);
  });

/** A written number in the language's own convention, as a plain "1234.5". */
function plainNumber(written: string, language: string) {
  if (DECIMAL_COMMA.has(language)) return written.replace(/[. \u00a0\u202f]/g, "").replace(",", ".");
  return written.replace(/[,\u00a0\u202f]/g, "");
}

/** The number pattern of a language: groups of three, then an optional fraction. */
function numberPattern(language: string) {
  if (SPACE_GROUPS.has(language)) return String.raw`(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,\d+)?`;
  return DECIMAL_COMMA.has(language) ? String.raw`(?:\d{1,3}(?:[.\u00a0\u202f]\d{3})+|\d+)(?:,\d+)?` : String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
}

/** A plain number ("1234.5", "-3") in the language's words. In Chinese ten to nineteen start 十. */
export function numberWordsIn(plain: string, language: string): string {
  const cardinal = CARDINALS[language];
  if (!cardinal) return plain;
  const value = plain.replace(/^\+/, "");
  if (CHINESE.has(language)) return cardinal(value).replace(/(^|负|負)一十/, "$1十");
  return cardinal(value);
}

/** A year: Chinese reads it digit by digit (二〇二四 as 二零二四), German says 1100–1999 in
 *  hundreds (neunzehnhundertneunundneunzig); the others say the number. */
function yearWordsIn(year: number, language: string) {
  if (CHINESE.has(language)) return [...String(year)].map((d) => numberWordsIn(d, language)).join("");
  if (language === "de" && year >= 1100 && year < 2000) {
    const rest = year % 100;
    return `${numberWordsIn(String(Math.floor(year / 100)), language)}hundert${rest ? numberWordsIn(String(rest), language) : ""}`;
  }
  return numberWordsIn(String(year), language);
}

/** Every run of digits in a text made into words (what CLDR's formats leave as digits). */
const digitsToWords = (text: string, language: string) => text.replace(/\d+(?:[.,]\d+)?/g, (n) => numberWordsIn(n.replace(",", "."), language));

/** How each language says a time of day, from its hour and minute in words. */
const TIME_FORMS: Record<string, (h: string, m: string | null) => string> = {
  es: (h, m) => (m ? `${h} y ${m}` : `${h} en punto`),
  fr: (h, m) => `${h} heures${m ? ` ${m}` : ""}`,
  de: (h, m) => `${h} Uhr${m ? ` ${m}` : ""}`,
  it: (h, m) => (m ? `${h} e ${m}` : h),
  pt: (h, m) => (m ? `${h} e ${m}` : `${h} horas`),
  nl: (h, m) => `${h} uur${m ? ` ${m}` : ""}`,
  tr: (h, m) => `saat ${h}${m ? ` ${m}` : ""}`,
  ar: (h, m) => `الساعة ${h}${m ? ` و${m} دقيقة` : ""}`,
  fa: (h, m) => `ساعت ${h}${m ? ` و ${m} دقیقه` : ""}`,
  hi: (h, m) => (m ? `${h} बजकर ${m} मिनट` : `${h} बजे`),
  bn: (h, m) => `${h}টা${m ? ` ${m} মিনিট` : ""}`,
  th: (h, m) => `${h} นาฬิกา${m ? ` ${m} นาที` : ""}`,
  vi: (h, m) => `${h} giờ${m ? ` ${m} phút` : ""}`,
  id: (h, m) => `pukul ${h}${m ? ` lewat ${m} menit` : ""}`,
  zh: (h, m) => `${h}点${m ? `${m}分` : ""}`,
  "zh-Hant": (h, m) => `${h}點${m ? `${m}分` : ""}`,
  ja: (h, m) => `${h}時${m ? `${m}分` : ""}`,
  ko: (h, m) => `${h}시${m ? ` ${m}분` : ""}`,
};

/** Words that mark a time of day, before or after it ("14:30 Uhr", "الساعة 14:30"): the time's
 *  own form says them, so the written ones go. */
const TIME_BEFORE = String.raw`(?:(?:الساعة|saat|ساعت|pukul)\s*)?`;
const TIME_AFTER = String.raw`(?:\s*(?:Uhr|uur|heures?|बजे|นาฬิกา|น\.|giờ)(?![\p{L}]))?`;

/** Languages whose percentage CLDR writes with a sign, said with these words instead. */
const PERCENT_WORDS: Record<string, (n: string) => string> = {
  ar: (n) => `${n} بالمئة`,
  zh: (n) => `百分之${n}`,
  "zh-Hant": (n) => `百分之${n}`,
  ko: (n) => `${n} 퍼센트`,
  vi: (n) => `${n} phần trăm`,
};

/** Currency signs and the currency each means (yen in Japanese, yuan in Chinese). */
const CURRENCIES: Record<string, string> = {
  $: "USD",
  "€": "EUR",
  "£": "GBP",
  "₹": "INR",
  "₽": "RUB",
  "₺": "TRY",
  "₩": "KRW",
  "₪": "ILS",
  "฿": "THB",
  "₫": "VND",
  "₴": "UAH",
};
const currencyOf = (sign: string, language: string) => (sign === "¥" || sign === "￥" ? (CHINESE.has(language) ? "CNY" : "JPY") : CURRENCIES[sign]);

/** Written unit symbols and their CLDR unit. */
const UNITS: Record<string, string> = {
  km: "kilometer",
  m: "meter",
  cm: "centimeter",
  mm: "millimeter",
  kg: "kilogram",
  g: "gram",
  mg: "milligram",
  l: "liter",
  ml: "milliliter",
  "km/h": "kilometer-per-hour",
  "m/s": "meter-per-second",
  "°c": "celsius",
  "°f": "fahrenheit",
  kb: "kilobyte",
  mb: "megabyte",
  gb: "gigabyte",
  tb: "terabyte",
  ghz: "gigahertz",
  mhz: "megahertz",
  kw: "kilowatt",
  kwh: "kilowatt-hour",
  w: "watt",
  ms: "millisecond",
  min: "minute",
  h: "hour",
  s: "second",
  км: "kilometer",
  м: "meter",
  см: "centimeter",
  кг: "kilogram",
  г: "gram",
  л: "liter",
  "км/ч": "kilometer-per-hour",
};
const UNIT_PATTERN = Object.keys(UNITS)
  .sort((a, b) => b.length - a.length)
  .map((u) => u.replace(/[/.*+?^${}()|[\]\\]/g, "\\$&"))
  .join("|");

/** A CLDR format of a value (a unit or a currency, spelled out) with its digits in words. */
function cldrWords(value: number, language: string, options: Intl.NumberFormatOptions) {
  const formatted = new Intl.NumberFormat(locale(language), { ...options, useGrouping: false, numberingSystem: "latn", maximumFractionDigits: 2 }).format(
    value,
  );
  return digitsToWords(formatted, language);
}

function dateWords(year: number, month: number, day: number, language: string) {
  const parts = new Intl.DateTimeFormat(locale(language), { dateStyle: "long", timeZone: "UTC", calendar: "gregory", numberingSystem: "latn" }).formatToParts(
    new Date(Date.UTC(year, month - 1, day)),
  );
  return parts
    .map((p) => {
      if (p.type === "year") return yearWordsIn(year, language);
      // "5. März": the full stop after the day makes it an ordinal in German.
      if (p.type === "day") return language === "de" ? de.toOrdinal(day) : numberWordsIn(String(day), language);
      if (p.type === "month" && /^\d+$/.test(p.value)) return numberWordsIn(p.value, language);
      // "2024 г.": the abbreviation for year is dropped.
      if (p.type === "literal") return p.value.replace(/^\.\s/, " ").replace(/\s[гр]\.$/, "");
      return p.value;
    })
    .join("")
    .replace(/\s+[гр]\.$/, "")
    .trim();
}

/** The narration made speakable in a language other than English (`language`: a code of
 *  LANGUAGE_CODES). */
export function makeSpeakableIn(text: string, language: string): string {
  const NUM = numberPattern(language);
  const re = (source: string, flags = "gu") => new RegExp(source.replaceAll("NUM", NUM), flags);
  const words = (written: string) => numberWordsIn(plainNumber(written, language), language);
  let out = asciiDigits(text.replace(/\r/g, ""));
  // Markup first, so that its symbols are not read as words; links keep their host name.
  out = out
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
    .replace(/[*_`~]{1,3}([^*_`~]+)[*_`~]{1,3}/g, "$1")
    .replace(/^\s*#{1,6}\s+/gm, "")
    .replace(/\bhttps?:\/\/(?:www\.)?([^\s/]+)\S*/gi, "$1");
  // Dates and times before plain numbers.
  out = out.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (m, y: string, mo: string, d: string) =>
    Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= 31 ? dateWords(Number(y), Number(mo), Number(d), language) : m,
  );
  // Chinese and Japanese dates and years: 2024年 is a year.
  if (CHINESE.has(language) || language === "ja") out = out.replace(/(\d{4})(?=\s?年)/g, (_m, y: string) => yearWordsIn(Number(y), language));
  const time = TIME_FORMS[language] ?? ((h: string, m: string | null) => (m ? `${h} ${m}` : h));
  out = out.replace(new RegExp(String.raw`${TIME_BEFORE}(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])${TIME_AFTER}`, "gu"), (_m, h: string, min: string) =>
    time(numberWordsIn(String(Number(h)), language), min === "00" ? null : numberWordsIn(String(Number(min)), language)),
  );
  // Money: a sign before or after the amount.
  // Cents are said after the currency, as people say prices ("zwölf Euro fünfzig").
  const money = (sign: string, amount: string) => {
    const currency = currencyOf(sign, language);
    const [whole = "0", cents] = plainNumber(amount, language).split(".");
    if (!currency) return amount;
    const said = cldrWords(Number(whole), language, { style: "currency", currency, currencyDisplay: "name", minimumFractionDigits: 0 });
    const hundredths = cents ? Number(cents.padEnd(2, "0").slice(0, 2)) : 0;
    return hundredths ? `${said} ${numberWordsIn(String(hundredths), language)}` : said;
  };
  const SIGNS = "[$€£₹₽₺₩₪฿₫₴¥￥]";
  out = out.replace(re(String.raw`(${SIGNS})\s?(NUM)`), (_m, sign: string, amount: string) => money(sign, amount));
  out = out.replace(re(String.raw`(NUM)\s?(${SIGNS})`), (_m, amount: string, sign: string) => money(sign, amount));
  // Percentages and units.
  out = out.replace(re(String.raw`(NUM)\s?[%％]`), (_m, n: string) => {
    const said = PERCENT_WORDS[language];
    if (said) return said(words(n));
    return cldrWords(Number(plainNumber(n, language)), language, { style: "unit", unit: "percent", unitDisplay: "long" });
  });
  out = out.replace(re(String.raw`(?<![\p{L}\d])(-?NUM)\s?(${UNIT_PATTERN})(?![\p{L}\d])`, "giu"), (m, n: string, unit: string) => {
    const cldr = UNITS[unit.toLowerCase()];
    const value = Number(plainNumber(n, language));
    return cldr && Number.isFinite(value) ? cldrWords(value, language, { style: "unit", unit: cldr, unitDisplay: "long" }) : m;
  });
  // Years standing alone, then every other number.
  if (language === "de") out = out.replace(/(?<![\d.,])(1[1-9]\d\d)(?![\d.,]\d)/g, (_m, y: string) => yearWordsIn(Number(y), language));
  out = out.replace(re(String.raw`(?<![\d])-?NUM(?![\d])`), (n) => words(n));
  // Markup leftovers and emoji go; spaces are tidied.
  return out
    .replace(/[*_`~>#|[\]{}<"“”«»]/g, " ")
    .replace(/\p{Extended_Pictographic}/gu, " ")
    .replace(/[ \t]+([,.!?;:])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}
