// Times the cards' text in every script: one plain card drawn at 1080p per language with its
// words set by Pango (the video's path) and by resvg (the SVG path), the first call of each
// (fonts found and read) apart from the median of the next ones; and the font check before the
// render (reading fontconfig's character sets once, then checking a scene's narration).
//   node --import tsx bench/cards.ts
import { drawCardPng, renderCardPng } from "../server/pipeline/visuals/card.ts";
import { installedCoverage, installedFaces, uncoveredCharacters } from "../server/pipeline/visuals/fonts.ts";

const TITLES: Record<string, string> = {
  en: "How a morning cup of coffee wakes up your brain",
  ru: "Как утренняя чашка кофе будит ваш мозг",
  ar: "كيف يوقظ فنجان القهوة الصباحي دماغك",
  hi: "सुबह की एक कप कॉफी दिमाग को कैसे जगाती है",
  th: "กาแฟยามเช้าปลุกสมองของคุณได้อย่างไร",
  zh: "早上一杯咖啡如何唤醒你的大脑",
  ja: "朝のコーヒーが脳を目覚めさせる仕組み",
  ko: "아침 커피 한 잔이 뇌를 깨우는 방법",
};
const RUNS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function time(fn: () => unknown) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

let start = performance.now();
const faces = installedFaces();
const facesMs = performance.now() - start;
start = performance.now();
const coverage = installedCoverage()!;
const coverageMs = performance.now() - start;
const narration = Object.values(TITLES).join(" ").repeat(6);
start = performance.now();
for (let i = 0; i < 100; i++) uncoveredCharacters(narration, coverage);
console.log(
  `fonts: ${faces?.length ?? 0} faces read from fc-list in ${facesMs.toFixed(0)} ms, merged in ${coverageMs.toFixed(0)} ms; a ${narration.length}-character narration checked in ${((performance.now() - start) / 100).toFixed(2)} ms`,
);

console.log("| language | Pango: first, median | resvg: first, median |\n| --- | --- | --- |");
for (const [language, title] of Object.entries(TITLES)) {
  const card = { title, label: "Coffee", index: 0, total: 3, style: "modern" as const, width: 1920, height: 1080, language };
  const row: string[] = [];
  for (const draw of [() => drawCardPng(card), () => renderCardPng(card)]) {
    const first = await time(draw);
    const rest: number[] = [];
    for (let i = 0; i < RUNS; i++) rest.push(await time(draw));
    row.push(`${first.toFixed(0)} ms, ${median(rest).toFixed(0)} ms`);
  }
  console.log(`| ${language} | ${row.join(" | ")} |`);
}
console.log(`rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
