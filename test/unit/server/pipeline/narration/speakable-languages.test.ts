// Speakable text per language: a number, a year, a currency, a percentage and a time in each
// of es, fr, de, ru, ar, hi, zh and ja come out in that language's words (digits gone), decimal
// commas are read as such, Chinese uses its everyday numerals, native digits are read, and
// English keeps its own rules.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { makeSpeakable } from "../../../../../server/pipeline/narration/speakable.ts";
import { numberWordsIn } from "../../../../../server/pipeline/narration/speakable-languages.ts";

/** Per language: the text, and phrases its speakable form must hold. */
const CASES: Record<string, { text: string; said: string[] }> = {
  es: {
    text: "En 2024 costó 1.234,50 €, un 15 % más, a las 14:30.",
    said: ["dos mil veinticuatro", "mil doscientos treinta y cuatro euros cincuenta", "quince por ciento", "catorce y treinta"],
  },
  fr: {
    text: "En 2024, 1 234 € soit 15 % de plus, à 14:30.",
    said: ["deux mille vingt-quatre", "mille deux cent trente-quatre euros", "quinze pour cent", "quatorze heures trente"],
  },
  de: {
    text: "Im Jahr 1999 kostete es 1.234 €, 15 % mehr, um 14:30 Uhr.",
    said: ["neunzehnhundertneunundneunzig", "eintausendzweihundertvierunddreißig Euro", "fünfzehn Prozent", "vierzehn Uhr dreißig"],
  },
  ru: {
    text: "В 2024 году цена 1234 ₽, рост 15 %, в 14:30.",
    said: ["две тысячи двадцать четыре", "одна тысяча двести тридцать четыре российских рубля", "пятнадцать процентов", "четырнадцать тридцать"],
  },
  ar: {
    text: "في عام 2024 بلغ السعر $1,234 بزيادة 15% الساعة 14:30",
    said: ["ألفان وأربعة وعشرون", "ألف ومئتان وأربعة وثلاثون دولار", "خمسة عشر بالمئة", "الساعة أربعة عشر وثلاثون دقيقة"],
  },
  hi: {
    text: "2024 में ₹1,234, 15% अधिक, 14:30 बजे",
    said: ["दो हज़ार चौबीस", "एक हज़ार दो सौ चौंतीस", "रुपए", "पंद्रह प्रतिशत", "चौदह बजकर तीस मिनट"],
  },
  zh: {
    text: "2024年价格为¥1234，上涨15%，14:30开始。",
    said: ["二零二四年", "一千二百三十四人民币", "百分之十五", "十四点三十分"],
  },
  ja: {
    text: "2024年に¥1,234、15%増、14:30に開始。",
    said: ["二千二十四年", "千二百三十四円", "十五 パーセント", "十四時三十分"],
  },
};

describe("speakable text per language", () => {
  for (const [language, { text, said }] of Object.entries(CASES)) {
    test(`${language}: numbers, a year, money, a percentage and a time in words`, () => {
      const out = makeSpeakable(text, language);
      for (const phrase of said) assert.ok(out.includes(phrase), `${language}: "${phrase}" missing from "${out}"`);
      assert.doesNotMatch(out, /\d/, `${language}: digits left in "${out}"`);
      assert.doesNotMatch(out, /[%€$₹₽¥]/, `${language}: a sign left in "${out}"`);
    });
  }

  test("decimal commas and groups by language", () => {
    assert.match(makeSpeakable("Es misst 3,5 km.", "de"), /drei komma fünf Kilometer/);
    assert.match(makeSpeakable("Son 1.500 personas.", "es"), /mil quinientos personas/);
    assert.match(makeSpeakable("It is 3.5 km.", "en"), /three point five kilometers/);
    assert.match(makeSpeakable("平均 3.5 公里", "zh"), /三点五/);
  });

  test("Chinese says its everyday numerals, not the financial ones", () => {
    assert.equal(numberWordsIn("1234", "zh"), "一千二百三十四");
    assert.equal(numberWordsIn("15", "zh"), "十五");
    assert.equal(numberWordsIn("1234", "zh-Hant"), "一千二百三十四");
    assert.doesNotMatch(makeSpeakable("共有 1234 人", "zh"), /[壹贰叁肆仟佰拾]/);
  });

  test("digits of the language's own script are read", () => {
    assert.equal(makeSpeakable("٣٤", "ar"), "أربعة وثلاثون");
    assert.equal(makeSpeakable("१५", "hi"), "पंद्रह");
  });

  test("abbreviations without a rule are left alone, markup and emoji go", () => {
    assert.equal(makeSpeakable("**Hola** 🎉 Sr. García, etc.", "es"), "Hola Sr. García, etc.");
  });

  test("English and an unknown tag keep English's rules", () => {
    const text = "In 2024 it cost $1,234.50, up 15%, at 2:30 pm.";
    const english = "In twenty twenty-four it cost one thousand two hundred thirty-four dollars and fifty cents, up fifteen percent, at two thirty P M.";
    assert.equal(makeSpeakable(text), english);
    assert.equal(makeSpeakable(text, "en-GB"), english);
    assert.equal(makeSpeakable(text, "xx"), english);
  });
});
