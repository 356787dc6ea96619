// Briefs the tests share: a plain one for the script writers' unit tests, the harbour one of the
// many-video tests, and one topic per family of writing systems for the languages test.
import { briefSchema, type Brief } from "../../server/videos/brief.ts";

/** "The history of coffee" for curious teenagers, 60 s, friendly; `over` changes any field. */
export const coffeeBrief = (over: Partial<Brief> = {}): Brief =>
  briefSchema.parse({
    topic: "The history of coffee",
    audience: "curious teenagers",
    tone: "friendly",
    targetLengthSec: 60,
    aspectRatio: "16:9",
    voice: "en-us-male",
    visualStyle: "modern",
    ...over,
  });

/** A short Draft brief about a harbour (15 s, no music), as the many-video tests and benches
 *  send it: the plain input, before the schema (`label` tells the videos apart). */
export const harbourBriefInput = (label: string) => ({
  topic: `Harbour ${label}. Ships rest there at night. Cranes unload them by day.`,
  audience: "sailors",
  tone: "informative",
  targetLengthSec: 15,
  aspectRatio: "16:9",
  voice: "en-gb-male",
  visualStyle: "minimal",
  music: "none",
  quality: "draft",
});

/** The same short topic (how bees make honey) in English and in one language of each family of
 *  writing systems: Latin, Cyrillic, Arabic, Hebrew, Devanagari, Thai, Chinese, Japanese and
 *  Korean. Four plain sentences each, as a user writing in that language would put them. */
export const LANGUAGE_TOPICS: Record<string, string> = {
  en: "Bees live in hives. Every bee has its own job. Some gather nectar from flowers and others guard the hive. Together they make honey.",
  es: "Las abejas viven en colmenas. Cada abeja tiene su propio trabajo. Unas buscan néctar en las flores y otras cuidan la colmena. Juntas hacen la miel.",
  ru: "Пчёлы живут в ульях. У каждой пчелы есть своя работа. Одни собирают нектар с цветов, а другие охраняют улей. Вместе они делают мёд.",
  ar: "يعيش النحل في خلايا. لكل نحلة عملها الخاص. بعضها يجمع الرحيق من الأزهار وبعضها يحرس الخلية. معًا يصنع النحل العسل.",
  he: "דבורים חיות בכוורות. לכל דבורה יש תפקיד משלה. חלקן אוספות צוף מהפרחים וחלקן שומרות על הכוורת. יחד הן מכינות דבש.",
  hi: "मधुमक्खियाँ छत्तों में रहती हैं। हर मधुमक्खी का अपना काम होता है। कुछ फूलों से रस लाती हैं और कुछ छत्ते की रक्षा करती हैं। मिलकर वे शहद बनाती हैं।",
  th: "ผึ้งอาศัยอยู่ในรัง ผึ้งแต่ละตัวมีหน้าที่ของตัวเอง บางตัวเก็บน้ำหวานจากดอกไม้ บางตัวเฝ้ารัง ผึ้งช่วยกันทำน้ำผึ้ง",
  zh: "蜜蜂住在蜂巢里。每只蜜蜂都有自己的工作。有的蜜蜂采花蜜，有的蜜蜂守护蜂巢。它们一起酿造蜂蜜。",
  ja: "ミツバチは巣の中で暮らしています。どのハチにも自分の仕事があります。花の蜜を集めるハチもいれば、巣を守るハチもいます。みんなで力を合わせてはちみつを作ります。",
  ko: "꿀벌은 벌집에서 삽니다. 꿀벌마다 자기 일이 있습니다. 어떤 꿀벌은 꽃에서 꿀을 모으고, 어떤 꿀벌은 벌집을 지킵니다. 꿀벌들은 함께 꿀을 만듭니다.",
};

/** A 15 s Draft brief in the language (a code of LANGUAGE_TOPICS), as the languages test sends
 *  it: its topic (the language is left to be detected from it), that language's female voice, captions (at the top) and titles on, no music, and the
 *  "midnight" style (light words on a dark card, which Tesseract reads back). */
export const languageBriefInput = (language: string) => ({
  topic: LANGUAGE_TOPICS[language]!,
  audience: "children",
  tone: "informative",
  targetLengthSec: 15,
  aspectRatio: "16:9",
  voice: language === "en" ? "en-us-female" : `${language}-female`,
  visualStyle: "midnight",
  music: "none",
  quality: "draft",
  captions: true,
  captionPosition: "top",
  titles: true,
});
