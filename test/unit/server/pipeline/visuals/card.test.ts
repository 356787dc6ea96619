import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildCardSvg, fitText, renderCardPng, wrapLines } from "../../../../../server/pipeline/visuals/card.ts";

describe("visual cards", () => {
  test("user text is escaped in the SVG", () => {
    const svg = buildCardSvg({ title: `<script>alert("x")</script> & more`, label: "L", index: 0, total: 3, style: "bold", width: 1920, height: 1080 });
    assert.ok(!svg.includes("<script>"));
    assert.ok(svg.includes("&lt;script&gt;"));
  });
  test("the PNG has the requested size for every aspect ratio", () => {
    for (const [w, h] of [
      [1920, 1080],
      [1080, 1920],
      [1080, 1080],
    ] as const) {
      const { png, width, height } = renderCardPng({ title: "A title", label: "L", index: 1, total: 3, style: "warm", width: w, height: h });
      assert.equal(png.readUInt32BE(16), w);
      assert.equal(png.readUInt32BE(20), h);
      assert.deepEqual([width, height], [w, h]);
    }
  });
  test("long titles wrap and keep every word: set smaller to fit, never cut with an ellipsis", () => {
    const text = "word ".repeat(60).trim();
    const lines = wrapLines(text, 80, 1500);
    assert.equal(lines.join(" "), text);
    const fitted = fitText(text, { width: 900, height: 400 }, 80);
    assert.equal(fitted.lines.join(" "), text);
    assert.ok(fitted.fontSize < 80, "a long title is set smaller");
    assert.ok(!fitted.lines.some((l) => l.includes("…")));
    const svg = buildCardSvg({ title: text, index: 0, total: 1, style: "warm", width: 1080, height: 1920 });
    assert.ok(!svg.includes("…"), "no ellipsis on the card");
    assert.equal(svg.match(/\bword\b/g)?.length, 60, "all sixty words are on the card");
  });
});
