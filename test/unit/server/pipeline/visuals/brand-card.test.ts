// Cards in a brand kit's colours and font, and the kit's intro card: read back as pixels.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, test } from "node:test";
import { buildCardSvg, readableOn, renderCardPng, renderLogoCardPng } from "../../../../../server/pipeline/visuals/card.ts";

/** A PNG's pixels as RGB, decoded by FFmpeg. */
function pixels(png: Buffer, width: number) {
  const rgb = execFileSync("ffmpeg", ["-v", "error", "-f", "png_pipe", "-i", "-", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], {
    input: png,
    maxBuffer: 64 << 20,
  });
  return (x: number, y: number) => [...rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
}
const near = (got: number[], want: number[]) => got.every((c, i) => Math.abs(c - want[i]!) <= 6);

const brand = {
  primary: "#FF6600",
  background: "#222222",
  accent: "#00FFAA",
  font: { file: "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", family: "DejaVu Serif" },
};
const card = { title: "Brand title", label: "Video", index: 0, total: 3, style: "modern" as const, width: 640, height: 360 };

describe("brand cards", () => {
  test("a card takes the kit's colours and names its font before the language's Noto face", () => {
    const svg = buildCardSvg({ ...card, brand });
    assert.match(svg, /stop-color="#FF6600"/);
    assert.match(svg, /stop-color="#222222"/);
    assert.match(svg, /fill="#00FFAA"/);
    assert.match(svg, /font-family="'DejaVu Serif', 'Noto Sans'"/);
    assert.match(buildCardSvg({ ...card, brand, language: "ja" }), /font-family="'DejaVu Serif', 'Noto Sans CJK JP', 'Noto Sans'"/);
    assert.doesNotMatch(buildCardSvg(card), /#FF6600|DejaVu/);
  });

  test("text is light on a dark brand colour and dark on a light one", () => {
    assert.equal(readableOn("#0F172A"), "#F8FAFC");
    assert.equal(readableOn("#FFEE88"), "#0F172A");
  });

  test("the kit's font draws the title: other pixels than Noto Sans's", () => {
    const serif = renderCardPng({ ...card, brand }).png;
    const noto = renderCardPng({ ...card, brand: { ...brand, font: null } }).png;
    assert.ok(!serif.equals(noto));
  });

  test("the intro card is the logo centred on the brand colour", () => {
    const logo = execFileSync("ffmpeg", [
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      "color=c=0x00FF00:s=200x100",
      "-frames:v",
      "1",
      "-f",
      "image2pipe",
      "-c:v",
      "png",
      "-",
    ]);
    const { png, width, height } = renderLogoCardPng({ width: 640, height: 360, color: "#FF0000", logo: { bytes: logo, mimeType: "image/png" } });
    assert.deepEqual([width, height], [640, 360]);
    const at = pixels(png, width);
    assert.ok(near(at(5, 5), [255, 0, 0]), `corner ${at(5, 5)}`);
    assert.ok(near(at(320, 180), [0, 255, 0]), `middle ${at(320, 180)}`);
    // Fitted inside half the width and two fifths of the height: 288×144 for a 2:1 logo.
    assert.ok(near(at(320 - 140, 180), [0, 255, 0]) && near(at(320 - 150, 180), [255, 0, 0]));
  });
});
