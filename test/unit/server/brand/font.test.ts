// The caption font check on real files: Geist and DejaVu pass and give their family names;
// a PNG named .ttf, a font cut short, a zip, a web font and a font-signature over garbage are
// refused, each saying why.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { crc32 } from "node:zlib";
import { checkFontBytes, FONT_MAX_BYTES, FontCheckError } from "../../../../server/brand/font.ts";

const geist = readFileSync("node_modules/geist/dist/fonts/geist-sans/Geist-Bold.ttf");
const dejavu = readFileSync("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf");

/** A zip archive holding one file, stored as is (what a font download often comes as). */
function zipOf(name: string, data: Buffer) {
  const crc = crc32(data);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(local.length + fileName.length + data.length, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

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
    assert.match(refusal(zipOf("Geist-Bold.ttf", geist)), /it is a zip archive \(unzip it/);
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
