// The offline visuals, drawn as SVG and rasterised with resvg: a card with an illustration
// (illustrations/library.ts chooses it) and the shot's words, or, when no picture matches, a
// plain card of words. Colours and shapes come from the visual style, or from the brand kit
// when one applies. The words are set in the video language's Noto face (the captions' face
// too), or in the kit's font, with any character those lack drawn by an installed face that
// has it (fonts.ts); lines break where the language allows, by display width; right-to-left
// lines are embedded right-to-left and right-aligned; emoji are left out (resvg draws no
// colour glyphs: measured, Noto Color Emoji comes out blank). The kit's intro card (its logo
// on its colour) is drawn here too.
// All user text is XML-escaped before it enters the SVG, its bidi controls removed first.
import { Resvg } from "@resvg/resvg-js";
import sharp from "sharp";
import { displayWidth, fontFamilyFor, languageOrEnglish, stripBidiControls, wrapText } from "@aura/render-contract";
import type { Brief } from "../../videos/brief.ts";
import { fontFilesFor, withoutEmoji } from "./fonts.ts";

type Palette = { bg: [string, string]; shapes: string[]; text: string; accent: string; shapeOpacity: number; kind: "circles" | "blocks" | "lines" };

export const PALETTES: Record<Brief["visualStyle"], Palette> = {
  modern: { bg: ["#0f172a", "#1e3a8a"], shapes: ["#38bdf8", "#818cf8", "#22d3ee"], text: "#f8fafc", accent: "#38bdf8", shapeOpacity: 0.35, kind: "circles" },
  warm: { bg: ["#7c2d12", "#f59e0b"], shapes: ["#fde68a", "#fb923c", "#fecaca"], text: "#fffbeb", accent: "#fde68a", shapeOpacity: 0.3, kind: "circles" },
  minimal: { bg: ["#f8fafc", "#e2e8f0"], shapes: ["#94a3b8", "#cbd5e1", "#64748b"], text: "#0f172a", accent: "#0ea5e9", shapeOpacity: 0.35, kind: "lines" },
  bold: { bg: ["#be123c", "#7e22ce"], shapes: ["#facc15", "#22c55e", "#f97316"], text: "#ffffff", accent: "#facc15", shapeOpacity: 0.45, kind: "blocks" },
  midnight: { bg: ["#020617", "#312e81"], shapes: ["#a78bfa", "#f0abfc", "#60a5fa"], text: "#e0e7ff", accent: "#f0abfc", shapeOpacity: 0.3, kind: "circles" },
};

/** Text made safe inside SVG: markup characters escaped, and what XML 1.0 cannot hold at all
 *  (control characters, a lone surrogate, U+FFFE/U+FFFF) left out instead of failing the card. */
export function escapeXml(text: string) {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: characters XML forbids are what this removes
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
      .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!)
  );
}

/** Card text as laid out: bidi controls removed, whitespace runs made one space, and emoji
 *  removed unless Pango draws the words (resvg draws no colour glyphs). */
export function cleanText(text: string, keepEmoji: boolean) {
  const clean = stripBidiControls(text).replace(/\s+/g, " ").trim();
  return keepEmoji ? clean : withoutEmoji(clean);
}

/** A line as the SVG holds it: escaped, and in a right-to-left language embedded
 *  right-to-left (resvg lays a line out left-to-right otherwise, so a Latin word or a number
 *  inside Arabic or Hebrew would land on the wrong side). The embedding is Aura's own, around
 *  text whose controls were removed, and ends with its line. */
function svgLine(line: string, language?: string) {
  return languageOrEnglish(language).rtl ? `\u202b${escapeXml(line)}\u202c` : escapeXml(line);
}

/** Lines of at most `maxWidth` by an estimate of glyph width (bold Noto Sans averages ~0.56 em
 *  a display column; a CJK character is two columns and one em), broken where the language
 *  allows. Every word is kept: a text too long for its place is set smaller (fitText), never cut. */
export function wrapLines(text: string, fontSize: number, maxWidth: number, language?: string) {
  const perLine = Math.max(4, Math.floor(maxWidth / (fontSize * 0.56)));
  return wrapText(text, perLine, language);
}

function seeded(seed: number) {
  let s = seed || 1;
  return () => {
    s = Math.imul(s ^ (s >>> 15), 2246822507) ^ Math.imul(s ^ (s >>> 13), 3266489909);
    return (s >>> 0) / 4294967296;
  };
}

/** A brand kit's colours (#RRGGBB) and font file for cards, when the brief uses the kit. */
export type CardBrand = { primary: string; background: string; accent: string; font: { file: string; family: string } | null };

/** Dark text on a light colour, light text on a dark one (by relative luminance). */
export function readableOn(hex: string) {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b! > 0.4 ? "#0F172A" : "#F8FAFC";
}

/** The visual style's shapes in the brand's colours. */
function brandPalette(brand: CardBrand, style: Palette): Palette {
  const text = readableOn(brand.primary);
  return {
    bg: [brand.primary, brand.background],
    shapes: [brand.accent, text, brand.accent],
    text,
    accent: brand.accent,
    shapeOpacity: 0.25,
    kind: style.kind,
  };
}

type CardInput = {
  title: string;
  /** Words before the card's counter at the top ("Label · 1 / 3"); the counter alone without. */
  label?: string;
  index: number;
  total: number;
  /** Another shot of the same scene: other shapes. */
  variant?: number;
  style: Brief["visualStyle"];
  width: number;
  height: number;
  brand?: CardBrand | null;
  /** The video's language (BCP 47): its face, line breaks and direction. English when left out. */
  language?: string;
};

/** The card's ground: the palette's gradient and its shapes, and the font family to write in. */
function cardGround(input: CardInput) {
  const { width: W, height: H } = input;
  const p = input.brand ? brandPalette(input.brand, PALETTES[input.style]) : PALETTES[input.style];
  // The kit's font first; the language's Noto face, then Noto Sans, draw what it lacks.
  const faces = [...(input.brand?.font ? [input.brand.font.family] : []), fontFamilyFor(input.language), "Noto Sans"];
  const family = [...new Set(faces)].map((f) => `'${escapeXml(f)}'`).join(", ");
  const rand = seeded(input.index * 7919 + input.title.length * 31 + 17 + (input.variant ?? 0) * 104_729);
  const short = Math.min(W, H);
  const shapes: string[] = [];
  for (let i = 0; i < 7; i++) {
    const color = p.shapes[i % p.shapes.length]!;
    const x = rand() * W;
    const y = rand() * H;
    const size = short * (0.12 + rand() * 0.35);
    if (p.kind === "circles")
      shapes.push(`<circle cx="${x.toFixed(0)}" cy="${y.toFixed(0)}" r="${size.toFixed(0)}" fill="${color}" opacity="${p.shapeOpacity}"/>`);
    else if (p.kind === "blocks")
      shapes.push(
        `<rect x="${x.toFixed(0)}" y="${y.toFixed(0)}" width="${size.toFixed(0)}" height="${(size * 0.6).toFixed(0)}" rx="${(size * 0.08).toFixed(0)}" fill="${color}" opacity="${p.shapeOpacity}" transform="rotate(${(rand() * 40 - 20).toFixed(1)} ${x.toFixed(0)} ${y.toFixed(0)})"/>`,
      );
    else
      shapes.push(
        `<line x1="${x.toFixed(0)}" y1="0" x2="${(x + size).toFixed(0)}" y2="${H}" stroke="${color}" stroke-width="${(short * 0.012).toFixed(0)}" opacity="${p.shapeOpacity}"/>`,
      );
  }
  const ground = `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${p.bg[0]}"/><stop offset="1" stop-color="${p.bg[1]}"/></linearGradient></defs>
<rect width="${W}" height="${H}" fill="url(#bg)"/>
${shapes.join("\n")}`;
  const small = Math.round(short * 0.032);
  const label: TextBlock = {
    // The counter is a left-to-right island: in a right-to-left line "1 / 3" would read "3 / 1".
    lines: [
      [
        ...(cleanText(input.label ?? "", true) ? [cleanText(input.label ?? "", true)] : []),
        languageOrEnglish(input.language).rtl ? `\u2066${input.index + 1} / ${input.total}\u2069` : `${input.index + 1} / ${input.total}`,
      ].join(" · "),
    ],
    fontSize: small,
    lineHeight: small * 1.18,
    x: W / 2,
    baseline: H * 0.1,
    anchor: "middle",
    weight: 500,
    maxWidth: W * 0.9,
  };
  return { p, family, faces: [...new Set(faces)], short, ground, label };
}

/** Words on a card: their lines, size and weight, where the first line's baseline sits and
 *  which side of `x` the lines hang from. */
export type TextBlock = {
  lines: string[];
  fontSize: number;
  lineHeight: number;
  x: number;
  baseline: number;
  anchor: "start" | "middle" | "end";
  weight: 500 | 700;
  /** The widest the lines may be drawn (Pango wraps past it). */
  maxWidth: number;
};

/** A text block drawn beforehand by Pango, as a PNG the card places where the block goes
 *  (null: the block has no words). */
export type DrawnWords = { png: Buffer; width: number; height: number } | null;

/** A block as SVG: resvg's own <text> lines, or the block drawn by Pango as an image, centred
 *  on where resvg's lines would be (the middle of their letters, ~0.35 em above the baseline). */
function blockSvg(block: TextBlock, family: string, fill: string, language: string | undefined, drawn?: DrawnWords, opacity = 1) {
  const alpha = opacity < 1 ? ` opacity="${opacity}"` : "";
  if (drawn === null) return "";
  if (drawn) {
    const left = block.anchor === "start" ? block.x : block.anchor === "end" ? block.x - drawn.width : block.x - drawn.width / 2;
    const middle = block.baseline + ((block.lines.length - 1) * block.lineHeight) / 2 - block.fontSize * 0.35;
    return `<image x="${left.toFixed(0)}" y="${(middle - drawn.height / 2).toFixed(0)}" width="${drawn.width}" height="${drawn.height}"${alpha} href="data:image/png;base64,${drawn.png.toString("base64")}"/>`;
  }
  return block.lines
    .map(
      (line, i) =>
        `<text x="${block.x.toFixed(0)}" y="${(block.baseline + i * block.lineHeight).toFixed(0)}" text-anchor="${block.anchor}" font-family="${family}" font-weight="${block.weight}" font-size="${block.fontSize}" fill="${fill}"${alpha}>${svgLine(withoutEmoji(line), language)}</text>`,
    )
    .join("");
}

/** Where the plain card's title goes: a band across the middle, under the label and the
 *  accent bar, above the bottom third (where captions go). */
export function plainTitleBox(W: number, H: number): Box {
  return { x: W * 0.1, y: H * 0.2, width: W * 0.8, height: H * 0.4 };
}

/** The plain card's title block: large, centred in its box, fitted (up to four lines, smaller
 *  for a long title). */
function cardTitle(input: CardInput, short: number, keepEmoji: boolean): TextBlock {
  const { width: W, height: H } = input;
  const box = plainTitleBox(W, H);
  const { lines, fontSize, lineHeight } = fitText(cleanText(input.title, keepEmoji), box, Math.round(short * (W < H ? 0.085 : 0.075)), input.language, 4);
  const baseline = box.y + (box.height - lines.length * lineHeight) / 2 + fontSize * 0.92;
  return { lines, fontSize, lineHeight, x: W / 2, baseline, anchor: "middle", weight: 700, maxWidth: W * 0.9 };
}

/** Words drawn by Pango for a card's two blocks. */
type CardWords = { title: DrawnWords; label: DrawnWords };

export function buildCardSvg(input: CardInput, words?: CardWords) {
  const { width: W, height: H } = input;
  const { p, family, short, ground, label } = cardGround(input);
  const title = cardTitle(input, short, !!words);
  const bar = short * 0.12;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
${ground}
<rect x="${(W - bar) / 2}" y="${(H * 0.15).toFixed(0)}" width="${bar.toFixed(0)}" height="${Math.max(4, short * 0.008).toFixed(0)}" rx="3" fill="${p.accent}"/>
${blockSvg(title, family, p.text, input.language, words?.title)}
${blockSvg(label, family, p.text, input.language, words?.label, 0.8)}
</svg>`;
}

type Box = { x: number; y: number; width: number; height: number };

/** Where an illustrated card puts its picture (a square panel) and its words: side by side on
 *  a wide frame, the words above the picture on a square or tall one. The two never overlap,
 *  neither reaches the label at the top or the frame's edges, and the words stay above the
 *  bottom third, where captions go (the picture may run under them). */
export function illustrationLayout(W: number, H: number): { art: Box; text: Box } {
  const short = Math.min(W, H);
  const top = H * 0.15;
  if (W / H > 1.2) {
    const size = Math.min(H * 0.7, W * 0.42);
    const art = { x: W * 0.06, y: top + (H * 0.95 - top - size) / 2, width: size, height: size };
    const left = art.x + size + W * 0.05;
    return { art, text: { x: left, y: top, width: W * 0.94 - left, height: H * 0.5 } };
  }
  const text = { x: W * 0.08, y: top, width: W * 0.84, height: H * 0.2 };
  const artTop = text.y + text.height + short * 0.04;
  const size = Math.min(W * 0.72, H * (W < H ? 0.44 : 0.46), H * 0.95 - artTop);
  return { art: { x: (W - size) / 2, y: artTop, width: size, height: size }, text };
}

/** Lines of the text that fit the box: the font shrinks (to half its size at most) until all
 *  the words fit, each line within the width by a cautious estimate of glyph width (bold Noto
 *  Sans averages ~0.56 em a display column, a line of wide letters runs to ~0.62 em, measured
 *  with resvg; 0.66 is kept); what still does not fit at half size keeps all its lines, for
 *  nothing is ever cut off or ended with an ellipsis. */
export function fitText(text: string, box: { width: number; height: number }, largest: number, language?: string, maxLines = Number.MAX_SAFE_INTEGER) {
  const EM = 0.66;
  // wrapLines counts 0.56 em a letter: a narrower width makes it wrap at EM.
  const width = (box.width * 0.56) / EM;
  let fontSize = largest;
  for (;;) {
    const lineHeight = fontSize * 1.18;
    const lines = wrapLines(text, fontSize, width, language);
    const fits =
      lines.length <= Math.min(maxLines, Math.max(1, Math.floor(box.height / lineHeight))) && lines.every((l) => displayWidth(l) * fontSize * EM <= box.width);
    if (fits || fontSize <= largest / 2) return { lines, fontSize, lineHeight };
    fontSize = Math.max(Math.ceil(largest / 2), Math.round(fontSize * 0.9));
  }
}

/** A card with a picture: the picture large on a soft light panel (legible on every style's
 *  ground, dark or light), the words beside or below it. The picture is an SVG document of its
 *  own, drawn through an image element, so its ids and styles cannot touch the card's. */
/** The illustrated card's words: fitted to their box, in its middle, centred under the
 *  picture or beside it, aligned to the side their lines start from (the right in a
 *  right-to-left language). */
function illustrationTitle(input: CardInput, short: number, keepEmoji: boolean): TextBlock {
  const { width: W, height: H } = input;
  const { text: box } = illustrationLayout(W, H);
  const wide = W / H > 1.2;
  const { lines, fontSize, lineHeight } = fitText(cleanText(input.title, keepEmoji), box, Math.round(short * (W < H ? 0.075 : 0.07)), input.language);
  const baseline = box.y + (box.height - lines.length * lineHeight) / 2 + fontSize * 0.92;
  const rtl = languageOrEnglish(input.language).rtl;
  const x = wide ? (rtl ? box.x + box.width : box.x) : W / 2;
  const anchor = wide ? (rtl ? "end" : "start") : "middle";
  return { lines, fontSize, lineHeight, x, baseline, anchor, weight: 700, maxWidth: box.width };
}

export function buildIllustrationSvg(input: CardInput & { art: string }, words?: CardWords) {
  const { width: W, height: H } = input;
  const { p, family, short, ground, label } = cardGround(input);
  const { art } = illustrationLayout(W, H);
  const text = blockSvg(illustrationTitle(input, short, !!words), family, p.text, input.language, words?.title);
  const pad = art.width * 0.1;
  const radius = art.width * 0.12;
  const href = `data:image/svg+xml;base64,${Buffer.from(input.art).toString("base64")}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
${ground}
<rect x="${(art.x + art.width * 0.02).toFixed(0)}" y="${(art.y + art.width * 0.03).toFixed(0)}" width="${art.width.toFixed(0)}" height="${art.height.toFixed(0)}" rx="${radius.toFixed(0)}" fill="#0f172a" opacity="0.18"/>
<rect x="${art.x.toFixed(0)}" y="${art.y.toFixed(0)}" width="${art.width.toFixed(0)}" height="${art.height.toFixed(0)}" rx="${radius.toFixed(0)}" fill="#ffffff" opacity="0.94" stroke="${p.accent}" stroke-width="${Math.max(2, short * 0.004).toFixed(0)}"/>
<image x="${(art.x + pad).toFixed(0)}" y="${(art.y + pad).toFixed(0)}" width="${(art.width - 2 * pad).toFixed(0)}" height="${(art.height - 2 * pad).toFixed(0)}" preserveAspectRatio="xMidYMid meet" xlink:href="${href}"/>
${text}
${blockSvg(label, family, p.text, input.language, words?.label, 0.8)}
</svg>`;
}

/** Rasterises a card's SVG with the fonts its words need (and the brand kit's), or none when
 *  Pango drew them. Without fontconfig, resvg searches the system's fonts itself (slower:
 *  every face is read). */
function rasterise(svg: string, input: CardInput, wordsDrawn = false) {
  const files = wordsDrawn ? [] : fontFilesFor(`${input.title} ${input.label}`, input.language);
  const resvg = new Resvg(svg, {
    fitTo: { mode: "width", value: input.width },
    font: wordsDrawn
      ? { loadSystemFonts: false }
      : {
          fontFiles: [...(files ?? []), ...(input.brand?.font ? [input.brand.font.file] : [])],
          loadSystemFonts: files === null,
          defaultFontFamily: fontFamilyFor(input.language),
        },
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
}

/** An illustrated card with its words drawn by resvg (see drawIllustrationPng). */
export function renderIllustrationPng(input: Parameters<typeof buildIllustrationSvg>[0]) {
  return rasterise(buildIllustrationSvg(input), input);
}

/** A plain card with its words drawn by resvg: right for Latin, Cyrillic, Greek, Arabic,
 *  Hebrew, Thai and CJK text, but resvg shapes Devanagari and Bengali wrongly (measured: spaces
 *  after vowel signs lost, vowel signs misplaced) and draws no emoji. The video's cards are
 *  drawn by drawCardPng. */
export function renderCardPng(input: CardInput) {
  return rasterise(buildCardSvg(input), input);
}

/**
 * A block drawn by Pango (through sharp's text images, HarfBuzz shaping): every script shaped
 * right, emoji in colour (Noto Color Emoji, found by fontconfig), right-to-left lines
 * right-to-left (a right-to-left mark of Aura's own starts each, text controls removed first).
 * The user's text is escaped for Pango's markup like XML.
 */
export async function drawWords(block: TextBlock, faces: string[], color: string, options: { language?: string; fontFile?: string } = {}): Promise<DrawnWords> {
  if (!block.lines.some((line) => line.trim())) return null;
  const rtl = languageOrEnglish(options.language).rtl;
  const lines = block.lines.map((line) => (rtl ? "\u200f" : "") + escapeXml(line)).join("\n");
  const { data, info } = await sharp({
    text: {
      text: `<span foreground="${color}" line_height="${Math.round(block.lineHeight * 1024)}">${lines}</span>`,
      font: `${faces.join(", ")} ${block.weight === 700 ? "Bold" : "Medium"} ${block.fontSize}`,
      ...(options.fontFile ? { fontfile: options.fontFile } : {}),
      width: Math.ceil(block.maxWidth),
      // Pango swaps left and right in a right-to-left paragraph: "left" is its start.
      align: block.anchor === "middle" ? "centre" : (block.anchor === "end") !== rtl ? "right" : "left",
      wrap: "word-char",
      dpi: 72,
      rgba: true,
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
}

/** The words of a card drawn by Pango: its title block (unless the render draws it) and its label. */
async function cardWords(input: CardInput, title: TextBlock | null): Promise<CardWords> {
  const { p, faces, label } = cardGround(input);
  const options = { language: input.language, fontFile: input.brand?.font?.file };
  return { title: title ? await drawWords(title, faces, p.text, options) : null, label: await drawWords(label, faces, p.text, options) };
}

/** A card's title as the render draws it over the picture, when the picture is drawn without
 *  it: its words, the box the picture leaves for them (shares of the frame's width and height)
 *  and their colour. Drawn so, the title fades in after the transition into its shot and out
 *  before the next one (a crossfade never shows two titles), and no other title is drawn over
 *  it. Null when the title has no words to draw (emoji only). */
export type CardTitle = { text: string; box: Box; color: string } | null;

function titleLayer(input: CardInput, box: Box): CardTitle {
  const { width: W, height: H } = input;
  const text = cleanText(input.title, false);
  if (!text) return null;
  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  return {
    text,
    box: { x: round(box.x / W), y: round(box.y / H), width: round(box.width / W), height: round(box.height / H) },
    color: cardGround(input).p.text,
  };
}

/** Whether the card's picture carries its title (`true`), or leaves it to the render (`false`,
 *  the video's cards: see CardTitle). */
type TitleOption = { title?: boolean };

/** The video's plain card: its words drawn by Pango, the title left out with `title: false`
 *  and returned as the layer the render draws. */
export async function drawCardPng(input: CardInput, options: TitleOption = {}) {
  const drawn = options.title !== false;
  const words = await cardWords(input, drawn ? cardTitle(input, Math.min(input.width, input.height), true) : null);
  return { ...rasterise(buildCardSvg(input, words), input, true), title: drawn ? null : titleLayer(input, plainTitleBox(input.width, input.height)) };
}

/** The video's illustrated card: its words drawn by Pango, the title left out with
 *  `title: false` and returned as the layer the render draws. */
export async function drawIllustrationPng(input: Parameters<typeof buildIllustrationSvg>[0], options: TitleOption = {}) {
  const drawn = options.title !== false;
  const words = await cardWords(input, drawn ? illustrationTitle(input, Math.min(input.width, input.height), true) : null);
  return {
    ...rasterise(buildIllustrationSvg(input, words), input, true),
    title: drawn ? null : titleLayer(input, illustrationLayout(input.width, input.height).text),
  };
}

/** The brand kit's intro card: its logo centred on its colour, fitted inside half the width
 *  and two fifths of the height. The logo's bytes were checked when it entered the library. */
export function renderLogoCardPng(input: { width: number; height: number; color: string; logo: { bytes: Buffer; mimeType: string } }) {
  const { width: W, height: H } = input;
  const [boxW, boxH] = [Math.round(W * 0.5), Math.round(H * 0.4)];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<rect width="${W}" height="${H}" fill="${input.color}"/>
<image x="${Math.round((W - boxW) / 2)}" y="${Math.round((H - boxH) / 2)}" width="${boxW}" height="${boxH}" preserveAspectRatio="xMidYMid meet" xlink:href="data:${input.logo.mimeType};base64,${input.logo.bytes.toString("base64")}"/>
</svg>`;
  const image = new Resvg(svg, { fitTo: { mode: "width", value: W }, font: { loadSystemFonts: false } }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
