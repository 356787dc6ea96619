// A brand's caption font: the ASS style names its family, the ass filter is given the font's
// own folder (escaped like every path in a graph), a segment rendered with another font has
// another cache key, and libass really draws with it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { computeTiming, planSegments, renderSpecSchema } from "@aura/render-contract";
import { base } from "../../packages/render-contract/test/fixtures.ts";
import { overlayParts } from "../src/build-command.ts";
import { buildAssFile } from "../src/captions.ts";
import { escapeFilterValue } from "../src/filter-escape.ts";
import { formatSettings } from "../src/formats.ts";
import { segmentKey } from "../src/segments.ts";

const branded = renderSpecSchema.parse({
  ...base,
  captions: { ...base.captions, style: { color: "#FF00AA", fontKey: "workspaces/w/videos/v/brand/j/font.ttf", fontFamily: "Geist" } },
});

describe("caption font", () => {
  test("the caption style names the font's family and keeps the brand colour", () => {
    const ass = buildAssFile([{ start: 0, end: 1, text: "Hello" }], 1920, 1080, branded.captions.style);
    assert.match(ass, /^Style: Caption,Geist,\d+,&H00AA00FF,/m);
    const plain = buildAssFile([{ start: 0, end: 1, text: "Hello" }], 1920, 1080, {});
    assert.match(plain, /^Style: Caption,Noto Sans,/m, "no brand font: the language's Noto face");
  });

  test("a family that is not plain text never reaches the spec", () => {
    const bad = { ...base, captions: { ...base.captions, style: { fontKey: "k/font.ttf", fontFamily: "Evil,0,&H00\\N" } } };
    assert.equal(renderSpecSchema.safeParse(bad).success, false);
    const half = { ...base, captions: { ...base.captions, style: { fontKey: "k/font.ttf" } } };
    assert.equal(renderSpecSchema.safeParse(half).success, false, "a key without its family is refused");
  });

  test("the ass filter gets the font's folder, quoted for the graph", () => {
    const { parts } = overlayParts(branded, { captionsFile: "/tmp/r/captions.ass", fontsDir: "/tmp/r it's/fonts" }, "v");
    assert.equal(parts[0], `[v]ass=filename=${escapeFilterValue("/tmp/r/captions.ass")}:fontsdir=${escapeFilterValue("/tmp/r it's/fonts")}[vcap]`);
    const { parts: without } = overlayParts(branded, { captionsFile: "/tmp/r/captions.ass" }, "v");
    assert.doesNotMatch(without[0]!, /fontsdir/);
  });

  test("another font file gives segments another cache key; no font keeps the old key", () => {
    const timing = computeTiming(branded);
    const segment = planSegments(timing)![0]!;
    const video = formatSettings(branded.format, branded.quality, branded).video;
    const files = { imageHashes: ["a", "b", "c"], insetHashes: [null, null, null], watermarkImageHash: null };
    const one = segmentKey(branded, timing, segment, { ...files, fontHash: "1111" }, video);
    const two = segmentKey(branded, timing, segment, { ...files, fontHash: "2222" }, video);
    assert.notEqual(one, two);
    const moved = renderSpecSchema.parse({
      ...branded,
      captions: { ...branded.captions, style: { ...branded.captions.style, fontKey: "elsewhere/font.ttf" } },
    });
    assert.equal(segmentKey(moved, timing, segment, { ...files, fontHash: "1111" }, video), one, "the same bytes under another key hit");
    const plain = renderSpecSchema.parse(base);
    assert.equal(
      segmentKey(plain, timing, segment, { ...files, fontHash: null }, video),
      segmentKey(plain, timing, segment, files, video),
      "specs without a font keep their keys",
    );
  });

  test("libass draws the captions with the font from its folder, whatever the folder is called", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "aura-caption-font-"));
    try {
      // A folder name the graph would choke on unescaped.
      const fonts = path.join(dir, "brand's fonts, [1];");
      mkdirSync(fonts);
      copyFileSync("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", path.join(fonts, "caption-font"));
      const frame = (style: object, withFonts: boolean) => {
        const ass = path.join(dir, "c.ass");
        writeFileSync(ass, buildAssFile([{ start: 0, end: 2, text: "Quick brown fox" }], 640, 360, style));
        const out = path.join(dir, `${Math.random()}.rgb`);
        const filter = overlayParts(renderSpecSchema.parse(base), { captionsFile: ass, fontsDir: withFonts ? fonts : null }, "0:v").parts[0]!.replace(
          "[vcap]",
          "",
        );
        execFileSync("ffmpeg", [
          "-v",
          "error",
          "-f",
          "lavfi",
          "-i",
          "color=c=black:s=640x360",
          "-filter_complex",
          filter,
          "-frames:v",
          "1",
          "-f",
          "rawvideo",
          "-pix_fmt",
          "gray",
          out,
        ]);
        return readFileSync(out);
      };
      // The same family found by fontconfig among the system's fonts (the serif default is now Noto Serif).
      const serif = frame({ fontKey: "k/font.ttf", fontFamily: "DejaVu Serif" }, false);
      const fromFolder = frame({ fontKey: "k/font.ttf", fontFamily: "DejaVu Serif" }, true);
      const sans = frame({ font: "sans" }, false);
      assert.ok(fromFolder.equals(serif), "the family named in the style is the font drawn");
      assert.ok(!fromFolder.equals(sans));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
