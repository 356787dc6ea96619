// The narration optimiser: text is made speakable before text-to-speech. Numbers, dates,
// times, currency, percentages, units, ordinals, abbreviations, symbols, URLs and e-mail
// addresses become the words a narrator would say; markup and emoji go; long sentences are
// split; dashes, ellipses and brackets become pauses. Captions keep the written form.
// Number words come from n2words. Other languages have their own rules (speakable-languages.ts).
import { toCardinal, toCurrency as usd, toOrdinal } from "n2words/en-US";
import { toCurrency as gbp } from "n2words/en-GB";
import { languageInfo } from "@aura/render-contract";
import { makeSpeakableIn } from "./speakable-languages.ts";
import { hasSpeakableWords } from "../../text/policy.ts";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const MONTH_PATTERN = `${MONTHS.join("|")}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec`;

const plain = (digits: string) => digits.replace(/,/g, "");
/** A written number: "1,250.50" or "3.5" or "1200" (a comma only between groups of three). */
const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const re = (source: string, flags = "g") => new RegExp(source.replaceAll("NUM", NUM), flags);
/** "a.m." keeps its full stop when it ends the sentence. */
const meridiem = (ap: string, match: string, offset: number, whole: string) =>
  `${ap.toLowerCase() === "a" ? "A M" : "P M"}${match.endsWith(".") && /^(\s+[A-Z]|\s*$)/.test(whole.slice(offset + match.length)) ? "." : ""}`;

/** A number as words: "1,250" → "one thousand two hundred fifty", "3.14" → "three point one four". */
export function numberWords(text: string): string {
  const value = plain(text);
  if (value.startsWith("-")) return `minus ${numberWords(value.slice(1))}`;
  const [whole, fraction] = value.split(".");
  const head = toCardinal(whole || "0");
  return fraction ? `${head} point ${[...fraction].map((d) => toCardinal(d)).join(" ")}` : head;
}

/** A year as people say it: 1999 "nineteen ninety-nine", 2005 "two thousand five", 2024 "twenty twenty-four". */
export function yearWords(year: number) {
  if (year >= 2000 && year < 2010) return toCardinal(year);
  const hi = Math.floor(year / 100);
  const lo = year % 100;
  if (lo === 0) return `${toCardinal(hi)} hundred`;
  return `${toCardinal(hi)} ${lo < 10 ? `oh ${toCardinal(lo)}` : toCardinal(lo)}`;
}

const SCALES: Record<string, string> = {
  k: "thousand",
  thousand: "thousand",
  m: "million",
  mn: "million",
  million: "million",
  b: "billion",
  bn: "billion",
  billion: "billion",
  t: "trillion",
  tn: "trillion",
  trillion: "trillion",
};

function money(symbol: string, amount: string, scale?: string) {
  const scaleWord = scale ? SCALES[scale.toLowerCase()] : undefined;
  const currency = { $: ["dollar", "dollars"], "£": ["pound", "pounds"], "€": ["euro", "euros"], "¥": ["yen", "yen"], "₹": ["rupee", "rupees"] }[symbol] ?? [
    "",
    "",
  ];
  if (scaleWord) return `${numberWords(amount)} ${scaleWord} ${currency[1]}`;
  const value = plain(amount);
  if (symbol === "$") return usd(value);
  if (symbol === "£") return gbp(value);
  const [whole, cents] = value.split(".");
  const unit = whole === "1" ? currency[0] : currency[1];
  return `${toCardinal(whole || "0")} ${unit}${cents && Number(cents) ? ` and ${toCardinal(String(Number(cents.padEnd(2, "0").slice(0, 2))))} cents` : ""}`;
}

const UNITS: Record<string, [string, string]> = {
  km: ["kilometer", "kilometers"],
  m: ["meter", "meters"],
  cm: ["centimeter", "centimeters"],
  mm: ["millimeter", "millimeters"],
  mi: ["mile", "miles"],
  ft: ["foot", "feet"],
  kg: ["kilogram", "kilograms"],
  g: ["gram", "grams"],
  mg: ["milligram", "milligrams"],
  lb: ["pound", "pounds"],
  lbs: ["pound", "pounds"],
  oz: ["ounce", "ounces"],
  l: ["liter", "liters"],
  ml: ["milliliter", "milliliters"],
  "km/h": ["kilometer per hour", "kilometers per hour"],
  kph: ["kilometer per hour", "kilometers per hour"],
  mph: ["mile per hour", "miles per hour"],
  "m/s": ["meter per second", "meters per second"],
  "°c": ["degree Celsius", "degrees Celsius"],
  "°f": ["degree Fahrenheit", "degrees Fahrenheit"],
  "°": ["degree", "degrees"],
  kb: ["kilobyte", "kilobytes"],
  mb: ["megabyte", "megabytes"],
  gb: ["gigabyte", "gigabytes"],
  tb: ["terabyte", "terabytes"],
  ghz: ["gigahertz", "gigahertz"],
  mhz: ["megahertz", "megahertz"],
  kw: ["kilowatt", "kilowatts"],
  kwh: ["kilowatt hour", "kilowatt hours"],
  w: ["watt", "watts"],
  ms: ["millisecond", "milliseconds"],
  min: ["minute", "minutes"],
  hrs: ["hour", "hours"],
  hr: ["hour", "hours"],
  sec: ["second", "seconds"],
};
const UNIT_PATTERN = Object.keys(UNITS)
  .sort((a, b) => b.length - a.length)
  .map((u) => u.replace(/[/.*+?^${}()|[\]\\]/g, "\\$&"))
  .join("|");

const ABBREVIATIONS: [RegExp, string][] = [
  [/\be\.g\.(?=\s|,|$)/gi, "for example"],
  [/\bi\.e\.(?=\s|,|$)/gi, "that is"],
  [/\betc\.(?=\s*$)/gim, "et cetera."],
  [/\betc\./gi, "et cetera"],
  [/\bvs\.?(?=\s)/gi, "versus"],
  [/\bapprox\./gi, "approximately"],
  [/\bDr\.(?=\s+[A-Z])/g, "Doctor"],
  [/\bMr\.(?=\s+[A-Z])/g, "Mister"],
  [/\bMrs\.(?=\s+[A-Z])/g, "Missus"],
  [/\bMs\.(?=\s+[A-Z])/g, "Miz"],
  [/\bProf\.(?=\s+[A-Z])/g, "Professor"],
  [/\bNo\.\s*(?=\d)/g, "number "],
  [/\bU\.S\.A?\.?(?=\s|,|$)/g, "U S"],
  [/\bAI\b/g, "A I"],
];

/** Splits a sentence longer than `max` words at the comma, semicolon or conjunction nearest its middle. */
export function splitLongSentence(sentence: string, max = 28): string[] {
  const words = sentence.split(/\s+/);
  if (words.length <= max) return [sentence];
  const middle = words.length / 2;
  let best = -1;
  words.forEach((w, i) => {
    if (i < 4 || i > words.length - 4) return;
    const breakAfterComma = /[,;:]$/.test(w);
    const beforeConjunction = /^(and|but|so|because|which|while|although|whereas)$/i.test(words[i + 1] ?? "");
    if ((breakAfterComma || beforeConjunction) && (best < 0 || Math.abs(i - middle) < Math.abs(best - middle))) best = i;
  });
  if (best < 0) return [sentence];
  const first = `${words
    .slice(0, best + 1)
    .join(" ")
    .replace(/[,;:]$/, "")}.`;
  let rest = words.slice(best + 1);
  if (/^(and|but|so)$/i.test(rest[0] ?? "") && rest.length > 3) rest = rest.slice(1);
  const second = rest.join(" ");
  return [first, ...splitLongSentence(second.charAt(0).toUpperCase() + second.slice(1), max)];
}

/** The narration as a voice should say it, in its language (a BCP 47 tag; English when
 *  left out or unknown). */
export function makeSpeakable(text: string, language = "en") {
  const code = languageInfo(language)?.code ?? "en";
  if (code !== "en") return makeSpeakableIn(text, code);
  let out = text.replace(/\r/g, "");
  // Markup first, so that its symbols are not read as words.
  out = out
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
    .replace(/[*_`~]{1,3}([^*_`~]+)[*_`~]{1,3}/g, "$1")
    .replace(/^\s*#{1,6}\s+/gm, "");
  out = out.replace(/\b[\w.+-]+@([\w-]+\.)+[a-z]{2,}\b/gi, (m) => m.replace("@", " at ").replace(/\./g, " dot "));
  out = out.replace(/\b(?:https?:\/\/)?(?:www\.)?((?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|ai|co|edu|gov|uk|de|fr|app))(?:\/[^\s]*)?/gi, (_m, host: string) =>
    host.replace(/\.$/, "").replace(/\./g, " dot "),
  );
  out = out.replace(/https?:\/\/\S+/gi, " ");
  for (const [pattern, words] of ABBREVIATIONS) out = out.replace(pattern, words);
  // Dates and times before plain numbers.
  out = out.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (m, y: string, mo: string, d: string) =>
    Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= 31 ? `${MONTHS[Number(mo) - 1]} ${toOrdinal(Number(d))}, ${yearWords(Number(y))}` : m,
  );
  out = out.replace(
    new RegExp(`\\b(${MONTH_PATTERN})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(,?\\s+(\\d{4}))?\\b`, "g"),
    (_m, month: string, day: string, _y, year?: string) => {
      const full = MONTHS.find((name) => name.startsWith(month.slice(0, 3))) ?? month;
      return `${full} ${toOrdinal(Number(day))}${year ? `, ${yearWords(Number(year))}` : ""}`;
    },
  );
  out = out.replace(
    /\b(\d{1,2}):(\d{2})\s*([ap])\.?m\b\.?/gi,
    (m, h: string, min: string, ap: string, offset: number, whole: string) =>
      `${toCardinal(Number(h))}${min === "00" ? "" : ` ${Number(min) < 10 ? `oh ${toCardinal(Number(min))}` : toCardinal(Number(min))}`} ${meridiem(ap, m, offset, whole)}`,
  );
  out = out.replace(
    /\b(\d{1,2})\s*([ap])\.?m\b\.?/gi,
    (m, h: string, ap: string, offset: number, whole: string) => `${toCardinal(Number(h))} ${meridiem(ap, m, offset, whole)}`,
  );
  out = out.replace(/\b(\d{1,2}):(\d{2})\b/g, (_m, h: string, min: string) =>
    min === "00"
      ? `${toCardinal(Number(h))} o'clock`
      : `${toCardinal(Number(h))} ${Number(min) < 10 ? `oh ${toCardinal(Number(min))}` : toCardinal(Number(min))}`,
  );
  out = out.replace(/\b(1[1-9]|20)(\d0)s\b/g, (_m, hi: string, lo: string) => {
    const said = yearWords(Number(hi + lo));
    return said.endsWith("ty") ? `${said.slice(0, -2)}ties` : said.endsWith("hundred") ? `${said}s` : `${said}s`;
  });
  // Money, percentages, units, ordinals, ranges, then the remaining numbers.
  out = out.replace(
    re(String.raw`([$£€¥₹])\s?(NUM)(?:\s?(k|m|mn|b|bn|t|tn|thousand|million|billion|trillion)\b)?`, "gi"),
    (_m, sym: string, amount: string, scale?: string) => money(sym, amount, scale),
  );
  // Phone numbers are read digit by digit.
  out = out.replace(/(?<![\d-])\d{3}[-.]\d{3,4}(?:[-.]\d{4})?(?![\d-])/g, (m) =>
    [...m]
      .map((c) => (/\d/.test(c) ? toCardinal(c) : ","))
      .join(" ")
      .replace(/ ,/g, ","),
  );
  // A range keeps its unit: "10-20 ms" is "ten to twenty milliseconds".
  out = out.replace(re(String.raw`\b(NUM)\s?[-–]\s?(NUM)(?=\s?(%|[a-z°]|\b))`, "gi"), (_m, a: string, b: string) => `${numberWords(a)} to ${b}`);
  out = out.replace(re(String.raw`(NUM)\s?%`), (_m, n: string) => `${numberWords(n)} percent`);
  out = out.replace(re(String.raw`(?<![\w])(-?NUM)\s?(${UNIT_PATTERN})(?![\w])`, "gi"), (m, n: string, unit: string) => {
    const names = UNITS[unit.toLowerCase()];
    if (!names) return m;
    return `${numberWords(n)} ${plain(n) === "1" ? names[0] : names[1]}`;
  });
  out = out.replace(/\b(\d+)(st|nd|rd|th)\b/gi, (_m, n: string) => toOrdinal(Number(n)));
  out = out.replace(/\b(\d+)\s?[x×]\s?(\d+)\b/g, (_m, a: string, b: string) => `${numberWords(a)} by ${numberWords(b)}`);
  out = out.replace(/(?<![\w.])(1[1-9]\d\d|20\d\d)(?![\d,.]\d|\s?(?:people|items|units))\b/g, (_m, y: string) => yearWords(Number(y)));
  out = out.replace(re(String.raw`(?<![\w])-?NUM(?![\w])`), (n) => numberWords(n));
  // Symbols.
  out = out
    .replace(/\s*&\s*/g, " and ")
    .replace(/\+/g, " plus ")
    .replace(/\s=\s/g, " equals ")
    .replace(/@/g, " at ")
    .replace(/#(\w)/g, "number $1")
    .replace(/~\s*/g, "about ")
    .replace(/\b(\w+)\/(\w+)\b/g, "$1 or $2");
  // Pauses: dashes and ellipses become commas and full stops, brackets become commas.
  out = out
    .replace(/\s*[—–]\s*|\s+-\s+/g, ", ")
    .replace(/\.{3,}|…/g, ". ")
    .replace(/\s*\(\s*/g, ", ")
    .replace(/\s*\)\s*/g, ", ");
  out = out
    .replace(/[*_`~>#|[\]{}<"“”]/g, " ")
    .replace(/\p{Extended_Pictographic}/gu, " ")
    .replace(/\s+([,.!?;:])/g, "$1")
    .replace(/,\s*([.!?])/g, "$1")
    .replace(/([,.!?;:])(?=[^\s\d])/g, "$1 ")
    .replace(/,\s*,/g, ",")
    .replace(/^\s*,\s*/, "")
    .replace(/\s+/g, " ")
    .trim();
  // Long sentences split in two, so that the voice breathes.
  const sentences = out.match(/[^.!?]+[.!?]*/g) ?? [];
  return sentences
    .map((s) => s.trim())
    .filter(Boolean)
    .flatMap((s) => splitLongSentence(s))
    .join(" ")
    .trim();
}

/** Links a voice would not read: with a scheme or www, a host with a path, or a bare host of a
 *  common top-level domain. */
const LINK = /\b(?:https?:\/\/|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+\/\S*|\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|ai|co|edu|gov|uk|de|fr|app)\b/gi;

/** Whether a narration gives a voice anything to say: letters or digits left once links are
 *  taken out (punctuation, emoji and a bare link alone are nothing to say). The same in every
 *  language, so a form can check it before the brief's language is known. */
export function hasSomethingToSay(text: string) {
  return hasSpeakableWords(text.replace(LINK, " "));
}
