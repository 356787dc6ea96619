// The caption font check on real files: Geist and DejaVu pass and give their family names;
// a PNG named .ttf, a font cut short, a zip, a web font and a font-signature over garbage are
// refused, each saying why.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { checkFontBytes, FONT_MAX_BYTES, FontCheckError } from "../../../../server/brand/font.ts";

const geist = readFileSync("node_modules/geist/dist/fonts/geist-sans/Geist-Bold.ttf");
const dejavu = readFileSync("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf");

function refusal(bytes: Buffer) {
  try {
    checkFontBytes(bytes);
  } catch (error) {
    assert.ok(error instanceof FontCheckError, String(error));
    return error.message;
  }
  return assert.fail("the file was accepted");
}

describe("checkFontBytes", () => {
  test("real TrueType fonts pass with their family names", () => {
    assert.deepEqual(checkFontBytes(geist).family, "Geist");
    assert.equal(checkFontBytes(geist).ext, "ttf");
    const serif = checkFontBytes(dejavu);
    assert.equal(serif.family, "DejaVu Serif");
    assert.ok(serif.glyphs > 1000);
  });

  test("a PNG picture named .ttf is refused as a picture", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "aura-font-test-"));
    try {
      const png = path.join(dir, "logo.png");
      execFileSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "color=c=red:s=32x32", "-frames:v", "1", png]);
      assert.match(refusal(readFileSync(png)), /it is a PNG picture, not a TrueType or OpenType font/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a font cut short is refused naming the table past the end", () => {
    assert.match(refusal(geist.subarray(0, Math.floor(geist.length / 2))), /it is cut short: its \S+ table ends past the end of the file/);
    assert.match(refusal(geist.subarray(0, 40)), /it is cut short: its table directory runs past the end of the file/);
  });

  test("a zip holding a font is refused, saying to unzip it", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "aura-font-test-"));
    try {
      writeFileSync(path.join(dir, "Geist-Bold.ttf"), geist);
      execFileSync("python3", [
        "-c",
        "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1],'w'); z.write(sys.argv[2],'Geist-Bold.ttf'); z.close()",
        path.join(dir, "font.zip"),
        path.join(dir, "Geist-Bold.ttf"),
      ]);
      assert.match(refusal(readFileSync(path.join(dir, "font.zip"))), /it is a zip archive \(unzip it/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a web font, text, and a font signature over garbage are refused", () => {
    assert.match(refusal(Buffer.concat([Buffer.from("wOFF"), Buffer.alloc(100)])), /web font \(WOFF\)/);
    assert.match(refusal(Buffer.from("just some text pretending to be a font")), /no font signature at its start/);
    const garbage = Buffer.concat([Buffer.from([0, 1, 0, 0, 0, 1]), Buffer.alloc(200, 0x41)]);
    assert.throws(() => checkFontBytes(garbage), FontCheckError);
    // A whole table directory with its tables zeroed: the parser cannot read it.
    const zeroed = Buffer.from(geist);
    zeroed.fill(0, 12 + zeroed.readUInt16BE(4) * 16);
    assert.throws(() => checkFontBytes(zeroed), FontCheckError);
  });

  test("a file over the cap is refused before it is parsed", () => {
    assert.match(refusal(Buffer.alloc(FONT_MAX_BYTES + 1)), /larger than the 25 MB limit for fonts/);
  });
});
