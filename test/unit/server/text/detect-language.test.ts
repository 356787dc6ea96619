// Language detection, as the brief form and the server run it: one ordinary sentence in each
// of the 23 languages is found confidently, and the cases that are easy to get wrong (short
// text, mixed scripts, Traditional and Simplified Chinese, Persian and Arabic, Ukrainian and
// Russian, languages Aura lacks) come out as a person would expect.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LANGUAGE_CODES } from "@aura/render-contract";
import { detectLanguage } from "../../../../server/text/detect-language.ts";

/** One plain sentence per language, about everyday subjects a brief might have. */
const SENTENCES: Record<(typeof LANGUAGE_CODES)[number], string> = {
  en: "Solar panels turn sunlight into electricity, and the inverter changes it for the houses nearby.",
  es: "Los paneles solares convierten la luz del sol en electricidad para las casas de la ciudad.",
  fr: "Les panneaux solaires transforment la lumière du soleil en électricité pour les maisons du village.",
  de: "Solarzellen verwandeln das Sonnenlicht in Strom, der dann in die Häuser der Nachbarschaft fließt.",
  it: "I pannelli solari trasformano la luce del sole in elettricità per le case della città.",
  pt: "Os painéis solares transformam a luz do sol em eletricidade para as casas da cidade.",
  nl: "Zonnepanelen zetten zonlicht om in elektriciteit, die daarna naar de huizen in de buurt gaat.",
  pl: "Panele słoneczne zamieniają światło słoneczne w energię elektryczną dla domów w mieście.",
  ru: "Солнечные панели превращают солнечный свет в электричество для домов в городе.",
  uk: "Сонячні панелі перетворюють сонячне світло на електрику для будинків у місті.",
  tr: "Güneş panelleri güneş ışığını şehirdeki evler için elektriğe dönüştürür.",
  ar: "تحول الألواح الشمسية ضوء الشمس إلى كهرباء للمنازل في المدينة.",
  he: "לוחות סולריים הופכים את אור השמש לחשמל עבור הבתים בעיר.",
  fa: "پنل‌های خورشیدی نور خورشید را به برق برای خانه‌های شهر تبدیل می‌کنند.",
  hi: "सौर पैनल सूरज की रोशनी को शहर के घरों के लिए बिजली में बदलते हैं।",
  bn: "সৌর প্যানেল সূর্যের আলোকে শহরের বাড়িগুলোর জন্য বিদ্যুতে পরিণত করে।",
  th: "แผงโซลาร์เซลล์เปลี่ยนแสงอาทิตย์ให้เป็นไฟฟ้าสำหรับบ้านในเมือง",
  vi: "Các tấm pin mặt trời biến ánh nắng thành điện cho những ngôi nhà trong thành phố.",
  id: "Panel surya mengubah sinar matahari menjadi listrik untuk rumah-rumah di kota.",
  zh: "太阳能电池板把阳光变成电，为这个城市里的家庭供电。",
  "zh-Hant": "太陽能電池板把陽光變成電，為這個城市裡的家庭供電。",
  ja: "ソーラーパネルは太陽の光を電気に変えて、町の家に届けます。",
  ko: "태양광 패널은 햇빛을 전기로 바꾸어 도시의 집에 공급합니다.",
};

describe("language detection", () => {
  for (const code of LANGUAGE_CODES) {
    test(`a sentence in ${code} is found as ${code}, confidently`, () => {
      const found = detectLanguage(SENTENCES[code]);
      assert.equal(found?.code, code);
      assert.equal(found?.info?.code, code, "Aura knows the language");
      assert.equal(found?.confident, true);
    });
  }

  test("a few words are not enough to be sure: the form and the server keep their default", () => {
    for (const text of ["Solar power", "Hola", "Das Auto", "Привет", "ok ok"]) {
      const found = detectLanguage(text);
      assert.equal(found?.confident, false, `${text} → ${JSON.stringify(found)}`);
    }
  });

  test("short English briefs are never taken for another language (franc-min alone reads them as Portuguese, Spanish or French)", () => {
    for (const text of [
      "Quick demo: how Aura turns a brief into a narrated video",
      "Quarterly sales review",
      "How coffee spread. It began in Ethiopia. Traders carried it to Yemen. Coffee houses spread across Europe.",
      "How solar panels work. Photons knock electrons loose in silicon. Inverters convert DC to AC.",
      "Automated video",
    ]) {
      const found = detectLanguage(text);
      assert.ok(found?.code === "en" || !found?.confident, `${text} → ${JSON.stringify(found)}`);
    }
  });

  test("text with no letters has no language", () => {
    assert.equal(detectLanguage(""), null);
    assert.equal(detectLanguage("12 345 — 67%!"), null);
    assert.equal(detectLanguage("🚀🌍"), null);
  });

  test("mixed text: the script of most of the letters decides, and a few foreign words do not", () => {
    assert.equal(detectLanguage("Как работает API и почему JSON так популярен среди разработчиков сегодня")?.code, "ru");
    assert.equal(detectLanguage("東京タワーの高さは333メートルで、Tokyo Towerとも呼ばれます。")?.code, "ja");
    assert.equal(detectLanguage("Apple 的 iPhone 在中国很受欢迎，很多人每天都在用它。")?.code, "zh");
    assert.equal(detectLanguage("How to say thank you in Arabic: شكرا جزيلا لكم على كل شيء, a short lesson for travellers")?.code, "en");
  });

  test("Traditional and Simplified Chinese are told apart by the characters only one of them uses", () => {
    assert.equal(detectLanguage("我们说的话会对学习有帮助。")?.code, "zh");
    assert.equal(detectLanguage("我們說的話會對學習有幫助。")?.code, "zh-Hant");
    assert.equal(detectLanguage("我們說的話會對學習有幫助。")?.info?.name, "Chinese (Traditional)");
  });

  test("Persian and Arabic share a script and are told apart by the letters only Persian has", () => {
    assert.equal(detectLanguage("من هر روز صبح چای می‌نوشم و به پارک نزدیک خانه می‌روم.")?.code, "fa");
    assert.equal(detectLanguage("أشرب الشاي كل صباح وأذهب إلى الحديقة القريبة من البيت.")?.code, "ar");
  });

  test("Ukrainian and Russian share a script and are told apart", () => {
    assert.equal(detectLanguage("Щоранку я п'ю чай і йду до парку біля будинку.")?.code, "uk");
    assert.equal(detectLanguage("Каждое утро я пью чай и иду в парк рядом с домом.")?.code, "ru");
  });

  test("a language Aura cannot narrate is named, with no info, so the brief can refuse it", () => {
    const georgian = detectLanguage("მზის პანელები მზის შუქს ელექტროენერგიად გარდაქმნიან ქალაქის სახლებისთვის.");
    assert.deepEqual([georgian?.code, georgian?.name, georgian?.info, georgian?.confident], ["ka", "Georgian", undefined, true]);
    const swahili = detectLanguage("Paneli za jua hubadilisha mwanga wa jua kuwa umeme kwa ajili ya nyumba za mji huu wote.");
    assert.deepEqual([swahili?.code, swahili?.name, swahili?.info, swahili?.confident], ["sw", "Swahili", undefined, true]);
  });
});
