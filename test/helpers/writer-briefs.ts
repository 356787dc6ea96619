// Thirty briefs for the offline writer's tests: one word, a sentence, a paragraph, a bullet
// list and a long article, 15 s to 180 s, every tone, some with knowledge passages. `expect`
// says what a person would: "thin" briefs hold too little for their length and must come out
// shorter, "rich" ones hold enough and must reach about their target; "any" may be either.
import { type Brief, briefSchema, TONES } from "../../server/videos/brief.ts";

export type WriterCase = { name: string; brief: Brief; passages: string[]; expect: "thin" | "rich" | "any" };

const ARTICLE_COFFEE = `The history of coffee begins in the highlands of Ethiopia.
Legend says a goat herder named Kaldi noticed his goats dancing after eating red berries from a shrub.
By the fifteenth century, coffee was grown in Yemen, where Sufi monks drank it to stay awake through night prayers.
From the port of Mocha, the beans travelled to Cairo, Istanbul and Mecca.
Coffee houses opened in those cities and became places to talk, play chess and hear music.
Some rulers tried to ban them, fearing the conversations that happened inside.
In the seventeenth century, traders carried coffee to Venice, and the first European coffee houses followed.
London had hundreds of coffee houses by 1700, and some grew into insurance markets and newspapers.
The Dutch smuggled seedlings out of Arabia and planted them in Java.
A single tree given to the French king became the ancestor of many plantations in the Caribbean.
Brazil became the largest producer in the nineteenth century, a position it still holds today.
Instant coffee arrived in the twentieth century, and espresso machines spread from Italy.
Today, more than two billion cups of coffee are drunk every day around the world.
Growers face falling prices, plant diseases and a changing climate that shifts where coffee can grow.`;

const ARTICLE_OCEANS = `Oceans cover about seventy percent of the surface of the Earth.
They hold most of the water on the planet and most of its living space.
Sunlight reaches only the top two hundred metres, where tiny plankton turn light into food.
Below that lies the twilight zone, where animals migrate upward every night to feed.
The deep sea is cold, dark and under enormous pressure, yet it is full of life.
Hydrothermal vents pour out hot, mineral-rich water that feeds whole communities of bacteria, worms and crabs.
Ocean currents carry heat from the tropics toward the poles and shape the climate of whole continents.
The Gulf Stream keeps western Europe milder than other places at the same latitude.
Oceans also absorb a large share of the carbon dioxide that people release.
That carbon makes seawater more acidic, which harms corals and shellfish.
Warmer water holds less oxygen and bleaches coral reefs.
Protected marine areas give fish populations room to recover.
Scientists use robotic floats, satellites and research ships to measure the health of the seas.`;

const ARTICLE_BATTERIES = `A lithium-ion battery stores energy by moving lithium ions between two electrodes.
When the battery charges, ions travel from the cathode through the electrolyte into the graphite anode.
When it discharges, they flow back, and electrons move through the outside circuit to power a device.
A thin separator keeps the electrodes apart so the battery does not short.
The cathode material decides much of the battery's energy and cost.
Nickel-rich cathodes store more energy, while iron phosphate cathodes last longer and cost less.
Heat is the enemy of every cell, because it speeds up the reactions that wear it out.
A battery management system watches each cell's voltage and temperature.
Fast charging is convenient, but it stresses the anode and can plate metallic lithium.
Recycling recovers cobalt, nickel and lithium from old packs.
Solid-state batteries replace the liquid electrolyte with a solid one, promising more safety and range.`;

const PASSAGE_BEES = [
  "Honey bees live in colonies of up to sixty thousand workers. A single queen lays all the eggs. Worker bees collect nectar and pollen from flowers within a few kilometres of the hive.",
  "Bees communicate the location of flowers with a waggle dance. The angle of the dance shows the direction relative to the sun. Its length tells the distance.",
];
const PASSAGE_TIDES = [
  "Tides are caused mainly by the gravity of the Moon. The Sun adds a smaller pull. When Sun and Moon line up, spring tides bring the highest and lowest water.",
  "Most coasts see two high tides and two low tides every lunar day. Harbour masters publish tide tables so ships can enter safely.",
];
const PASSAGE_POLICY = [
  "Employees may work from home up to three days a week. Requests for more remote days go to the team lead. Equipment for home offices is paid by the company up to a yearly limit.",
];

// The language is named: detection guesses short English topics wrong ("Tides. The moon pulls
// the oceans." reads as French to franc-min), and these briefs test the English writer.
const base = { audience: "curious adults", aspectRatio: "16:9", voice: "en-us-male", visualStyle: "modern", language: "en" } as const;
const make = (i: number, name: string, topic: string, targetLengthSec: number, expect: WriterCase["expect"], passages: string[] = []): WriterCase => ({
  name,
  brief: briefSchema.parse({ ...base, topic, targetLengthSec, tone: TONES[i % TONES.length] }),
  passages,
  expect,
});

export const WRITER_CASES: WriterCase[] = [
  // One word.
  make(0, "one word, 15 s", "Volcanoes", 15, "any"),
  make(1, "one word, 60 s", "Photosynthesis", 60, "thin"),
  make(2, "acronym, 120 s", "DNA", 120, "thin"),
  make(3, "plural, 180 s", "Bees", 180, "thin"),
  // A sentence.
  make(4, "request sentence, 30 s", "Make a short video about the water cycle.", 30, "thin"),
  make(5, "how-sentence, 45 s", "Explain how vaccines train the immune system to recognise germs", 45, "thin"),
  make(6, "sentence, 15 s", "Why the sky is blue on a clear day", 15, "any"),
  make(
    7,
    "long sentence, 90 s",
    "The surprising ways that ancient Roman engineers built roads, aqueducts and bridges that still stand today across Europe",
    90,
    "thin",
  ),
  make(8, "question, 60 s", "What makes sourdough bread rise without yeast from a packet?", 60, "thin"),
  make(9, "sentence, 180 s", "The life of Marie Curie", 180, "thin"),
  // A paragraph.
  make(10, "short paragraph, 30 s", "How solar panels work. Photons knock electrons loose in silicon. Inverters convert DC to AC.", 30, "any"),
  make(
    11,
    "paragraph, 45 s",
    "Sleep and memory. During deep sleep the brain replays what happened during the day. Dreams may help sort emotions. Teenagers need about nine hours a night. Screens before bed delay sleep.",
    45,
    "any",
  ),
  make(12, "paragraph, 120 s", "The history of coffee. It began in Ethiopia. Traders carried it to Yemen. Coffee houses spread across Europe.", 120, "thin"),
  make(13, "paragraph, 15 s", "Tides. The moon pulls the oceans. Harbours publish tide tables.", 15, "any"),
  make(
    14,
    "paragraph, 60 s",
    "Recycling plastics is harder than it looks. Only a few kinds of plastic are recycled at scale. Mixed plastics are often burned or buried. Clean bottles and jugs are worth the most. Cutting single-use packaging does more than sorting it.",
    60,
    "any",
  ),
  make(15, "paragraph, 180 s", "Black holes. They form when massive stars collapse. Nothing, not even light, escapes past the event horizon.", 180, "thin"),
  // A bullet list.
  make(16, "list of actions, 60 s", "Zero waste at home:\n- Reduce waste at home\n- Compost food scraps\n- Buy in bulk\n- Repair before replacing", 60, "thin"),
  make(
    17,
    "list of facts, 30 s",
    "Facts about the Moon\n- The Moon has no air\n- Its gravity is a sixth of Earth's\n- Twelve people have walked on it\n- It moves away from Earth a few centimetres a year",
    30,
    "any",
  ),
  make(
    18,
    "numbered list, 90 s",
    "Five tips for public speaking\n1. Know your first sentence by heart\n2. Look at one face at a time\n3. Pause instead of saying um\n4. Slow down when it matters\n5. End with a clear request",
    90,
    "thin",
  ),
  make(19, "short list, 15 s", "Packing for a hike:\n* water\n* map\n* rain jacket", 15, "any"),
  // A long article.
  make(20, "article, 60 s", ARTICLE_COFFEE, 60, "rich"),
  make(21, "article, 90 s", ARTICLE_OCEANS, 90, "rich"),
  make(22, "article, 30 s", ARTICLE_BATTERIES, 30, "rich"),
  make(23, "article, 15 s", ARTICLE_OCEANS, 15, "rich"),
  make(24, "article, 180 s", ARTICLE_COFFEE, 180, "thin"),
  // With the workspace's documents.
  make(25, "one word with passages, 60 s", "Bees", 60, "any", PASSAGE_BEES),
  make(26, "sentence with passages, 45 s", "How tides work", 45, "any", PASSAGE_TIDES),
  make(27, "policy with a passage, 120 s", "Our remote work policy", 120, "thin", PASSAGE_POLICY),
  make(28, "article with passages, 120 s", ARTICLE_BATTERIES, 120, "any", PASSAGE_TIDES),
  make(29, "paragraph with passages, 30 s", "Honey bees. They make honey from nectar.", 30, "any", PASSAGE_BEES),
];

/** The same brief (how bees make honey) in eight languages of six writing systems, for the
 *  offline writer's non-English path: a title sentence and three or four sentences more. */
export const LANGUAGE_TOPICS: Record<string, string> = {
  es: "Cómo hacen miel las abejas. Las abejas recogen el néctar de las flores durante todo el día. En la colmena, las obreras pasan el néctar de boca en boca. Con sus alas secan el néctar hasta que se vuelve espeso.",
  ru: "Как пчёлы делают мёд. Пчёлы весь день собирают нектар с цветов. В улье рабочие пчёлы передают нектар друг другу. Крыльями они сушат нектар, пока он не станет густым.",
  ar: "كيف يصنع النحل العسل. يجمع النحل الرحيق من الأزهار طوال اليوم. في الخلية تنقل العاملات الرحيق من نحلة إلى أخرى. يجفف النحل الرحيق بأجنحته حتى يصبح كثيفا.",
  hi: "मधुमक्खियाँ शहद कैसे बनाती हैं। मधुमक्खियाँ पूरे दिन फूलों से रस इकट्ठा करती हैं। छत्ते में श्रमिक मधुमक्खियाँ रस एक दूसरे को देती हैं। वे अपने पंखों से रस को गाढ़ा करती हैं।",
  th: "ผึ้งทำน้ำผึ้งอย่างไร ผึ้งเก็บน้ำหวานจากดอกไม้ทั้งวัน ในรังผึ้งงานส่งน้ำหวานต่อกัน ผึ้งใช้ปีกพัดให้น้ำหวานข้นขึ้น",
  zh: "蜜蜂怎样酿造蜂蜜。蜜蜂整天从花朵里采集花蜜。在蜂巢里，工蜂把花蜜一只传给另一只。它们用翅膀扇风，让花蜜变得浓稠。",
  ja: "ミツバチはどうやって蜂蜜を作るのか。ミツバチは一日中、花から蜜を集めます。巣の中で、働きバチは蜜を口から口へと渡します。羽で風を送り、蜜が濃くなるまで乾かします。",
  ko: "꿀벌은 어떻게 꿀을 만들까요? 꿀벌은 하루 종일 꽃에서 꿀을 모읍니다. 벌집 안에서 일벌들은 꿀을 서로에게 전달합니다. 날개로 바람을 일으켜 꿀을 진하게 만듭니다.",
};

/** A brief of LANGUAGE_TOPICS in its language, with that language's female voice. */
export const languageBrief = (language: string, over: Record<string, unknown> = {}): Brief =>
  briefSchema.parse({ ...base, topic: LANGUAGE_TOPICS[language], language, voice: `${language}-female`, tone: "informative", targetLengthSec: 30, ...over });
