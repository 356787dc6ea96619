import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildCardSvg, renderCardPng, wrapLines } from "../../../../../server/pipeline/visuals/card.ts";

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
  test("long titles wrap and are cut with an ellipsis", () => {
    const lines = wrapLines("word ".repeat(60), 80, 1500, 3);
    assert.equal(lines.length, 3);
    assert.ok(lines[2]!.endsWith("…"));
  });
});
