// The offline visuals, drawn as SVG and rasterised with resvg: a card with an illustration
// (illustrations/library.ts chooses it) and the shot's words, or, when no picture matches, a
// plain card of words. Colours and shapes come from the visual style, or from the brand kit
// when one applies; the words are set in Geist, or in the kit's font. The kit's intro card (its logo on its
// colour) is drawn here too.
// All user text is XML-escaped before it enters the SVG.
import { createRequire } from "node:module";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import type { Brief } from "../../videos/brief.ts";

// The geist package ships its font files beside dist/sans.js. Inside the Next.js bundle (where
// the Inngest functions run) require.resolve gives a module id, not a path: then the files
// are found from the project root.
function fontFiles() {
  let resolved: unknown;
  try {
    resolved = createRequire(import.meta.url).resolve("geist/font/sans");
  } catch {}
  const dir =
    typeof resolved === "string"
      ? path.join(path.dirname(resolved), "fonts/geist-sans")
      : path.join(/*turbopackIgnore: true*/ process.cwd(), "node_modules/geist/dist/fonts/geist-sans");
  return ["Geist-Bold.ttf", "Geist-Regular.ttf", "Geist-Medium.ttf"].map((f) => path.join(/*turbopackIgnore: true*/ dir, f));
}
let FONT_FILES: string[] | undefined;
/** Looked up once per process. */
function cachedFontFiles() {
  FONT_FILES ??= fontFiles();
  return FONT_FILES;
}

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

/** Greedy word wrap by an estimate of glyph width (Geist Bold averages ~0.55 em). */
export function wrapLines(text: string, fontSize: number, maxWidth: number, maxLines: number) {
  const perLine = Math.max(4, Math.floor(maxWidth / (fontSize * 0.56)));
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = current ? `${current} ${word}` : word;
    if (next.length > perLine && current) {
      lines.push(current);
      current = word;
    } else current = next;
  }
  if (current) lines.push(current);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1]!.replace(/\s*\S*$/, "")}…`;
    return kept;
  }
  return lines;
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
  label: string;
  index: number;
  total: number;
  /** Another shot of the same scene: other shapes. */
  variant?: number;
  style: Brief["visualStyle"];
  width: number;
  height: number;
  brand?: CardBrand | null;
};

/** The card's ground: the palette's gradient and its shapes, and the font family to write in. */
function cardGround(input: CardInput) {
  const { width: W, height: H } = input;
  const p = input.brand ? brandPalette(input.brand, PALETTES[input.style]) : PALETTES[input.style];
  // The kit's font first; Geist draws what it lacks.
  const family = input.brand?.font ? `'${escapeXml(input.brand.font.family)}', Geist` : "Geist";
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
  const label = `<text x="${W / 2}" y="${(H * 0.1).toFixed(0)}" text-anchor="middle" font-family="${family}" font-weight="500" font-size="${small}" fill="${p.text}" opacity="0.8">${escapeXml(input.label)} · ${input.index + 1} / ${input.total}</text>`;
  return { p, family, short, ground, label };
}

export function buildCardSvg(input: CardInput) {
  const { width: W, height: H } = input;
  const { p, family, short, ground, label } = cardGround(input);
  const fontSize = Math.round(short * (W < H ? 0.085 : 0.075));
  const lines = wrapLines(input.title, fontSize, W * 0.8, 4);
  const lineHeight = fontSize * 1.18;
  const blockTop = H * 0.44 - ((lines.length - 1) * lineHeight) / 2;
  const text = lines
    .map(
      (line, i) =>
        `<text x="${W / 2}" y="${(blockTop + i * lineHeight).toFixed(0)}" text-anchor="middle" font-family="${family}" font-weight="700" font-size="${fontSize}" fill="${p.text}">${escapeXml(line)}</text>`,
    )
    .join("");
  const bar = short * 0.12;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
${ground}
<rect x="${(W - bar) / 2}" y="${(blockTop - fontSize * 1.6).toFixed(0)}" width="${bar.toFixed(0)}" height="${Math.max(4, short * 0.008).toFixed(0)}" rx="3" fill="${p.accent}"/>
${text}
${label}
</svg>`;
}

type Box = { x: number; y: number; width: number; height: number };

/** Where an illustrated card puts its picture (a square panel) and its words: side by side on
 *  a wide frame, the picture above the words on a square or tall one. The two never overlap,
 *  and neither reaches the label at the top or the frame's edges. */
export function illustrationLayout(W: number, H: number): { art: Box; text: Box } {
  const short = Math.min(W, H);
  const top = H * 0.15;
  if (W / H > 1.2) {
    const size = Math.min(H * 0.7, W * 0.42);
    const art = { x: W * 0.06, y: top + (H * 0.95 - top - size) / 2, width: size, height: size };
    const left = art.x + size + W * 0.05;
    return { art, text: { x: left, y: top, width: W * 0.94 - left, height: H * 0.8 } };
  }
  const size = Math.min(W * 0.72, H * (W < H ? 0.44 : 0.46));
  const art = { x: (W - size) / 2, y: top, width: size, height: size };
  const textTop = art.y + size + short * 0.05;
  return { art, text: { x: W * 0.08, y: textTop, width: W * 0.84, height: H * 0.95 - textTop } };
}

/** Lines of the text that fit the box: the font shrinks (to half its size at most) until all
 *  the words fit, each line within the width by a cautious estimate of glyph width (bold Geist
 *  averages ~0.56 em, a line of wide letters runs to ~0.66 em); what still does not fit at
 *  half size is cut with an ellipsis. */
export function fitText(text: string, box: { width: number; height: number }, largest: number) {
  const EM = 0.66;
  // wrapLines counts 0.56 em a letter: a narrower width makes it wrap at EM.
  const width = (box.width * 0.56) / EM;
  let fontSize = largest;
  for (;;) {
    const lineHeight = fontSize * 1.18;
    const maxLines = Math.max(1, Math.floor(box.height / lineHeight));
    const all = wrapLines(text, fontSize, width, Number.MAX_SAFE_INTEGER);
    const fits = all.length <= maxLines && all.every((l) => l.length * fontSize * EM <= box.width);
    if (fits || fontSize <= largest / 2) {
      const perLine = Math.floor(box.width / (fontSize * EM));
      const lines = wrapLines(text, fontSize, width, maxLines).map((l) => (l.length > perLine ? `${l.slice(0, perLine - 1)}…` : l));
      return { lines, fontSize, lineHeight };
    }
    fontSize = Math.max(Math.ceil(largest / 2), Math.round(fontSize * 0.9));
  }
}

/** A card with a picture: the picture large on a soft light panel (legible on every style's
 *  ground, dark or light), the words beside or below it. The picture is an SVG document of its
 *  own, drawn through an image element, so its ids and styles cannot touch the card's. */
export function buildIllustrationSvg(input: CardInput & { art: string }) {
  const { width: W, height: H } = input;
  const { p, family, short, ground, label } = cardGround(input);
  const { art, text: box } = illustrationLayout(W, H);
  const wide = W / H > 1.2;
  const { lines, fontSize, lineHeight } = fitText(input.title, box, Math.round(short * (W < H ? 0.075 : 0.07)));
  // The words sit in the middle of their box, centred under the picture or left-aligned beside it.
  const blockTop = box.y + (box.height - lines.length * lineHeight) / 2 + fontSize * 0.92;
  const x = wide ? box.x : W / 2;
  const anchor = wide ? "start" : "middle";
  const text = lines
    .map(
      (line, i) =>
        `<text x="${x.toFixed(0)}" y="${(blockTop + i * lineHeight).toFixed(0)}" text-anchor="${anchor}" font-family="${family}" font-weight="700" font-size="${fontSize}" fill="${p.text}">${escapeXml(line)}</text>`,
    )
    .join("");
  const pad = art.width * 0.1;
  const radius = art.width * 0.12;
  const href = `data:image/svg+xml;base64,${Buffer.from(input.art).toString("base64")}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
${ground}
<rect x="${(art.x + art.width * 0.02).toFixed(0)}" y="${(art.y + art.width * 0.03).toFixed(0)}" width="${art.width.toFixed(0)}" height="${art.height.toFixed(0)}" rx="${radius.toFixed(0)}" fill="#0f172a" opacity="0.18"/>
<rect x="${art.x.toFixed(0)}" y="${art.y.toFixed(0)}" width="${art.width.toFixed(0)}" height="${art.height.toFixed(0)}" rx="${radius.toFixed(0)}" fill="#ffffff" opacity="0.94" stroke="${p.accent}" stroke-width="${Math.max(2, short * 0.004).toFixed(0)}"/>
<image x="${(art.x + pad).toFixed(0)}" y="${(art.y + pad).toFixed(0)}" width="${(art.width - 2 * pad).toFixed(0)}" height="${(art.height - 2 * pad).toFixed(0)}" preserveAspectRatio="xMidYMid meet" xlink:href="${href}"/>
${text}
${label}
</svg>`;
}

/** Rasterises a card's SVG with the card fonts (and the brand kit's). */
function rasterise(svg: string, input: CardInput) {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "width", value: input.width },
    font: { fontFiles: [...cachedFontFiles(), ...(input.brand?.font ? [input.brand.font.file] : [])], loadSystemFonts: false, defaultFontFamily: "Geist" },
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
}

export function renderIllustrationPng(input: Parameters<typeof buildIllustrationSvg>[0]) {
  return rasterise(buildIllustrationSvg(input), input);
}

export function renderCardPng(input: CardInput) {
  return rasterise(buildCardSvg(input), input);
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
