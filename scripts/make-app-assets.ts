// Draws the app's own assets in public/ from public/icon.svg: the PNG icons of the web manifest
// (192 and 512, and a maskable 512 with room around the mark), the Apple touch icon, the
// favicon (16 and 32 in one .ico, by FFmpeg), the default link preview image (1200×630), and
// one sample picture per visual style for the brief form (public/styles/<style>.webp): the same
// illustrated card the offline visuals draw, with the same picture and words in every style so
// only the style differs.
// Run after changing icon.svg or a style's palette: node --import tsx scripts/make-app-assets.ts
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import sharp from "sharp";
import { drawIllustrationPng } from "../server/pipeline/visuals/card.ts";
import { loadEmojiIndex, readEmojiSvg } from "../server/pipeline/visuals/illustrations/emoji.ts";
import { withoutFilters } from "../server/pipeline/visuals/illustrations/library.ts";
import { VISUAL_STYLES } from "../server/videos/brief.ts";

const root = path.join(import.meta.dirname, "..");
const out = (name: string) => path.join(root, "public", name);
const icon = readFileSync(out("icon.svg"), "utf8");
const inner = icon.replace(/^[\s\S]*?<svg[^>]*>/, "").replace(/<\/svg>\s*$/, "");

function png(svg: string, width: number) {
  return new Resvg(svg, { fitTo: { mode: "width", value: width }, font: { loadSystemFonts: true } }).render().asPng();
}

for (const size of [192, 512]) writeFileSync(out(`icon-${size}.png`), png(icon, size));
writeFileSync(out("apple-touch-icon.png"), png(icon, 180));
// Maskable: the platform crops to a circle or squircle; the mark keeps to the middle 80 %.
writeFileSync(
  out("icon-maskable-512.png"),
  png(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" fill="#4f46e5"/><g transform="translate(51 51) scale(0.8)">${inner}</g></svg>`,
    512,
  ),
);

const work = mkdtempSync(path.join(tmpdir(), "aura-assets-"));
try {
  const sizes = [16, 32, 48].map((size) => {
    const file = path.join(work, `${size}.png`);
    writeFileSync(file, png(icon, size));
    return file;
  });
  // One .ico holding 16, 32 and 48 pixel images, in order.
  execFileSync("ffmpeg", ["-v", "error", "-y", ...sizes.flatMap((f) => ["-i", f]), ...sizes.flatMap((_, i) => ["-map", String(i)]), out("favicon.ico")]);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const preview = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
  <defs><linearGradient id="p" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0f172a"/><stop offset="1" stop-color="#312e81"/></linearGradient></defs>
  <rect width="1200" height="630" fill="url(#p)"/>
  <g transform="translate(110 175) scale(0.55)">${inner}</g>
  <text x="450" y="300" font-family="Noto Sans, DejaVu Sans, sans-serif" font-weight="700" font-size="110" fill="#f8fafc">Aura</text>
  <text x="455" y="380" font-family="Noto Sans, DejaVu Sans, sans-serif" font-size="40" fill="#cbd5e1">A brief in, a narrated video out.</text>
</svg>`;
writeFileSync(out("og-default.png"), png(preview, 1200));
// Drawn at 640×360 (a 16:9 frame's proportions, large enough to read the words), shown at half that.
const cache = mkdtempSync(path.join(tmpdir(), "aura-emoji-"));
try {
  const bulb = loadEmojiIndex(cache).find((e) => e.name === "light-bulb");
  if (!bulb) throw new Error("Fluent Emoji has no light-bulb picture");
  const art = withoutFilters(readEmojiSvg(bulb));
  mkdirSync(out("styles"), { recursive: true });
  for (const style of VISUAL_STYLES) {
    const card = await drawIllustrationPng({ title: "How a light bulb works", label: "Sample", index: 0, total: 3, style, width: 640, height: 360, art });
    writeFileSync(out(`styles/${style}.webp`), await sharp(card.png).webp({ quality: 80 }).toBuffer());
  }
} finally {
  rmSync(cache, { recursive: true, force: true });
}
console.log(
  `public/: icon-192.png icon-512.png icon-maskable-512.png apple-touch-icon.png favicon.ico og-default.png ${VISUAL_STYLES.map((s) => `styles/${s}.webp`).join(" ")}`,
);
