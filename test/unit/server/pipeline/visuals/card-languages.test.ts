// The video's cards in ten languages, read back by Tesseract: the words drawn (Pango shapes
// every script), right-to-left titles in reading order, emoji in colour, and the SVG path
// (resvg) with bidi controls and emoji kept out of the markup.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { graphemes } from "@aura/render-contract";
import { characterErrorRate, ocr } from "../../../../../render-worker/test/helpers/ocr.ts";
import sharp from "sharp";
import { buildCardSvg, drawCardPng, drawIllustrationPng, illustrationLayout, wrapLines } from "../../../../../server/pipeline/visuals/card.ts";

const TITLES: Record<string, string> = {
  en: "How a morning cup of coffee wakes up your brain",
  es: "Cómo una taza de café despierta tu cerebro",
  ru: "Как утренняя чашка кофе будит ваш мозг",
  ar: "كيف يوقظ فنجان القهوة الصباحي دماغك",
  he: "איך כוס קפה של בוקר מעירה את המוח",
  hi: "सुबह की एक कप कॉफी दिमाग को कैसे जगाती है",
  th: "กาแฟยามเช้าปลุกสมองของคุณได้อย่างไร",
  zh: "早上一杯咖啡如何唤醒你的大脑",
  ja: "朝のコーヒーが脳を目覚めさせる仕組み",
  ko: "아침 커피 한 잔이 뇌를 깨우는 방법",
};
// Measured on these cards (960×540, "modern" style, title thresholded): 0 in nine languages,
// 0.033 in Thai (one letter added); the reversed text scores 0.87–1. The same Hindi title set
// by resvg instead of Pango scores 0.25 (spaces lost, vowel signs misplaced).
const MAX_CER = 0.1;

const dir = mkdtempSync(path.join(tmpdir(), "aura-cards-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The card's title alone, black on white: the white words (luma above 220) kept, the
 *  ground and the dimmer label dropped, so that Tesseract reads only what the title drew. */
function titleOnly(png: Buffer, name: string) {
  const file = path.join(dir, `${name}.png`);
  writeFileSync(file, png);
  const out = path.join(dir, `${name}-title.png`);
  execFileSync("ffmpeg", ["-v", "error", "-y", "-i", file, "-vf", "format=gray,lut=y='if(gt(val,220),0,255)'", out]);
  return out;
}

const card = (language: string, title: string) => ({ title, label: "Aura", index: 0, total: 3, style: "modern" as const, width: 960, height: 540, language });

describe("cards read back in every script", () => {
  for (const [language, title] of Object.entries(TITLES)) {
    test(`${language}: Tesseract reads the title back (character error rate at most ${MAX_CER})`, async () => {
      const { png } = await drawCardPng(card(language, title));
      const read = ocr(titleOnly(png, language), language).replace(/\n/g, " ");
      const cer = characterErrorRate(title, read);
      assert.ok(cer <= MAX_CER, `${language}: read ${JSON.stringify(read)}, error rate ${cer.toFixed(3)}`);
      if (language === "ar" || language === "he") {
        // Drawn left-to-right, the letters would read back in the reverse order.
        const reversed = graphemes(title).reverse().join("");
        const backwards = characterErrorRate(reversed, read);
        assert.ok(backwards > cer + 0.5, `${language}: reading order (${cer.toFixed(3)} against ${backwards.toFixed(3)} reversed)`);
      }
    });
  }

  test("a Latin word and a number inside a right-to-left title stay where Hebrew puts them", async () => {
    const { png } = await drawCardPng(card("he", "שלום Aura 2024 עולם"));
    const read = ocr(titleOnly(png, "he-mixed"), "he");
    // Logical order read back: the first Hebrew word first, Aura and 2024 in the middle.
    assert.match(read, /^שלום.*2024.*עולם$/su, read);
  });

  test("an illustrated right-to-left card aligns its words to the right of their box", async () => {
    const art = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="5" fill="#10d010"/></svg>';
    const { png } = await drawIllustrationPng({ ...card("ar", "القهوة"), art });
    const file = titleOnly(png, "ar-illustrated");
    // The white title pixels' right edge: near the box's right side (94 % of the width).
    const gray = execFileSync("ffmpeg", ["-v", "error", "-i", file, "-f", "rawvideo", "-pix_fmt", "gray", "-"]);
    let right = 0;
    for (let i = 0; i < gray.length; i++) if (gray[i]! < 128) right = Math.max(right, i % 960);
    assert.ok(right > 960 * 0.85 && right <= 960 * 0.95, `right edge at ${right}`);
  });

  test("Pango's words stay beside or below the picture and inside the frame, in every script", async () => {
    const art = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="5" fill="#10d010"/></svg>';
    for (const [W, H] of [
      [960, 540],
      [540, 960],
    ] as const)
      for (const language of ["en", "ar", "zh", "hi"]) {
        const title = `${TITLES[language]} ${TITLES[language]}`;
        const input = { ...card(language, title), width: W, height: H, art };
        const raw = async (t: string) =>
          (
            await sharp((await drawIllustrationPng({ ...input, title: t })).png)
              .raw()
              .toBuffer({ resolveWithObject: true })
          ).data;
        // Blank words of the same length: the same shapes behind (they are seeded by it).
        const [withText, without] = [await raw(title), await raw(" ".repeat(title.length))];
        const { art: box } = illustrationLayout(W, H);
        const edge = Math.round(Math.min(W, H) * 0.03);
        let drawn = 0;
        let misplaced = 0;
        for (let i = 0; i < withText.length; i += 4) {
          if (withText[i] === without[i] && withText[i + 1] === without[i + 1] && withText[i + 2] === without[i + 2]) continue;
          drawn++;
          const [x, y] = [(i / 4) % W, Math.floor(i / 4 / W)];
          const overArt = x >= box.x - 2 && x <= box.x + box.width + 2 && y >= box.y - 2 && y <= box.y + box.height + 2;
          if (overArt || x < edge || y < edge || x >= W - edge || y >= H - edge) misplaced++;
        }
        assert.ok(drawn > W * H * 0.005, `${language} ${W}x${H}: the words are drawn (${drawn} pixels)`);
        assert.equal(misplaced, 0, `${language} ${W}x${H}: no word over the picture or at the frame's edge`);
      }
  });

  test("emoji are drawn in colour by Pango, and left out of resvg's SVG", async () => {
    const colourful = (png: Buffer) => {
      const rgb = execFileSync("ffmpeg", ["-v", "error", "-f", "png_pipe", "-i", "-", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], {
        input: png,
        maxBuffer: 64 << 20,
      });
      // Yellow (the grinning face): red and green high, blue low; no style's ground has it.
      let yellow = 0;
      for (let i = 0; i < rgb.length; i += 3) if (rgb[i]! > 200 && rgb[i + 1]! > 150 && rgb[i + 2]! < 90) yellow++;
      return yellow;
    };
    const withEmoji = colourful((await drawCardPng(card("en", "Coffee 😀 time"))).png);
    const without = colourful((await drawCardPng(card("en", "Coffee time"))).png);
    assert.ok(withEmoji > 500 && without < 50, `${withEmoji} yellow pixels with the emoji, ${without} without`);
    const svg = buildCardSvg(card("en", "Coffee 😀👩‍👩‍👧 time"));
    assert.doesNotMatch(svg, /\p{Extended_Pictographic}|\u200d/u);
    assert.match(svg, />Coffee time</);
  });

  test("bidi controls in user text are removed; Aura's own embedding wraps each right-to-left line", () => {
    const svg = buildCardSvg(card("ar", "مرحبا \u202eAura\u202c \u2067بالعالم\u2069"));
    // One embedding per line (title, label); the label's counter is a left-to-right isolate.
    assert.equal(svg.match(/[\u202a-\u202e\u2066-\u2069]/gu)?.join(""), "\u202b\u202c\u202b\u2066\u2069\u202c", "Aura's own controls only");
    assert.match(svg, />\u202bمرحبا Aura بالعالم\u202c</u);
    assert.doesNotMatch(buildCardSvg(card("en", "Hello \u202eworld")), /[\u202a-\u202e]/u);
  });

  test("lines break where the language allows, by display width", () => {
    const zh = wrapLines("早上一杯咖啡如何唤醒你的大脑，让你一整天都充满活力。", 60, 600, "zh");
    assert.ok(zh.length >= 2 && zh.every((l) => !/\s/.test(l)), JSON.stringify(zh));
    assert.ok(
      zh.every((l) => !/^[，。]/.test(l)),
      "no line starts with closing punctuation",
    );
    const th = wrapLines(TITLES.th!, 60, 500, "th");
    assert.ok(th.length >= 2);
    assert.equal(th.join(""), TITLES.th, "Thai is broken between words, nothing added or lost");
  });
});
