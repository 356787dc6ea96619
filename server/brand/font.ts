// A caption font upload, judged by its bytes: a TrueType or OpenType file (by its signature,
// `00 01 00 00`, `true` or `OTTO`), whole (every table its directory lists lies inside the
// file), and readable by a font parser (opentype.js), which gives its family name: the name
// libass and resvg find it by. Anything else is refused saying what it is instead.
import * as opentype from "opentype.js";
import { FONT_FAMILY_PATTERN } from "@aura/render-contract";
import { describeBytes } from "../lib/bytes.ts";

/** The largest caption font, in bytes: a full Latin family is well under 1 MB; large CJK fonts reach ~20 MB. */
export const FONT_MAX_BYTES = 25 * 1024 * 1024;

/** opentype.js's parser, from either of its builds (see opentype.d.ts). */
const parseFont = (opentype.default?.parse ?? opentype.parse) as typeof opentype.parse;

/** A refusal of a font: the message says why, for the person who sent it. */
export class FontCheckError extends Error {}

export type CheckedFont = { family: string; ext: "ttf" | "otf"; mimeType: "font/ttf" | "font/otf"; glyphs: number };

/** What a file that is not a font looks like, by its first bytes, for the refusal. */
function lookalike(head: Buffer) {
  const ascii = head.subarray(0, 4).toString("latin1");
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "a PNG picture";
  if (head[0] === 0xff && head[1] === 0xd8) return "a JPEG picture";
  if (ascii === "PK\u0003\u0004") return "a zip archive (unzip it and upload the .ttf or .otf inside)";
  if (ascii === "wOFF" || ascii === "wOF2") return "a web font (WOFF); upload the TTF or OTF it was made from";
  if (ascii === "ttcf") return "a font collection (TTC); upload one font of it as TTF or OTF";
  if (ascii === "%PDF") return "a PDF document";
  return null;
}

/** Checks a font file's bytes; throws FontCheckError saying what is wrong with it. */
export function checkFontBytes(bytes: Buffer): CheckedFont {
  if (bytes.length > FONT_MAX_BYTES) throw new FontCheckError(`it is larger than the ${describeBytes(FONT_MAX_BYTES)} limit for fonts`);
  if (bytes.length < 12) throw new FontCheckError("it is too short to be a font");
  const signature = bytes.readUInt32BE(0);
  const tag = bytes.subarray(0, 4).toString("latin1");
  const ext = signature === 0x00010000 || tag === "true" ? "ttf" : tag === "OTTO" ? "otf" : null;
  if (!ext) {
    const looks = lookalike(bytes);
    throw new FontCheckError(
      looks ? `it is ${looks}, not a TrueType or OpenType font` : "it is not a TrueType or OpenType font (no font signature at its start)",
    );
  }
  // The table directory: each table must lie inside the file, or the file was cut short.
  const tables = bytes.readUInt16BE(4);
  if (tables === 0 || tables > 200) throw new FontCheckError(`its table directory is damaged (${tables} tables)`);
  if (12 + tables * 16 > bytes.length) throw new FontCheckError("it is cut short: its table directory runs past the end of the file");
  const names = new Set<string>();
  for (let i = 0; i < tables; i++) {
    const at = 12 + i * 16;
    const name = bytes.subarray(at, at + 4).toString("latin1");
    const offset = bytes.readUInt32BE(at + 8);
    const length = bytes.readUInt32BE(at + 12);
    if (offset + length > bytes.length) throw new FontCheckError(`it is cut short: its ${name.trim()} table ends past the end of the file`);
    names.add(name);
  }
  for (const needed of ["cmap", "head", "name"]) if (!names.has(needed)) throw new FontCheckError(`it has no ${needed} table, which every font has`);
  let font: opentype.Font;
  try {
    font = parseFont(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (error) {
    throw new FontCheckError(`it cannot be read as a font (${(error as Error).message})`);
  }
  if (!(font.numGlyphs > 1)) throw new FontCheckError("it has no glyphs to draw");
  const family = (font.getEnglishName("fontFamily") ?? "").trim();
  if (!family) throw new FontCheckError("it names no font family");
  if (!FONT_FAMILY_PATTERN.test(family))
    throw new FontCheckError(`its family name (${family.slice(0, 100)}) has characters other than letters, digits, spaces, - and _`);
  return { family, ext, mimeType: ext === "ttf" ? "font/ttf" : "font/otf", glyphs: font.numGlyphs };
}
