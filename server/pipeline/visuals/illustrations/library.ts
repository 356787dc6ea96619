// The offline illustration library: Fluent Emoji and Open Clip Art in one key-word index, and
// the choice of the picture that best matches a shot. A query word found in a picture's name
// or title counts most, one among its tags less, one that only shares a beginning ("bike" and
// "biker") least; each is weighted by how rare the word is in the library, so "coffee" says
// more than "food"; earlier words of the query count more than later ones. The scene's own words count as well, weaker. No picture is used twice in
// one video: each is claimed by the shot that shows it (ShotClaims, as stock clips are).
// A picture is drawn small once before it is offered, and one that fails or comes out blank is
// passed over for the rest of the process.
import { Resvg } from "@resvg/resvg-js";
import { log } from "../../../lib/log.ts";
import type { ShotClaims } from "../claims.ts";
import { type EmojiEntry, loadEmojiIndex, readEmojiSvg } from "./emoji.ts";
import { type ClipartEntry, OPENCLIPART_DIR, readClipartSvg, scanOpenClipart } from "./openclipart.ts";
import { stemsOf } from "./words.ts";

export type Illustration = {
  /** The id its claim is made by: "fluent-emoji:<name>" or "openclipart:<path>". */
  sourceId: string;
  title: string;
  /** Its key words, as a person reads them (the shot's words). */
  words: string[];
  /** Stems of its name or title, and of its other words. */
  primary: string[];
  secondary: string[];
} & ({ family: "fluent-emoji"; emoji: EmojiEntry } | { family: "openclipart"; clipart: ClipartEntry });

type Library = { items: Illustration[]; byStem: Map<string, number[]>; stems: string[] };

function indexOf(items: Illustration[]): Library {
  const byStem = new Map<string, number[]>();
  items.forEach((item, i) => {
    for (const stem of new Set([...item.primary, ...item.secondary])) {
      const list = byStem.get(stem);
      if (list) list.push(i);
      else byStem.set(stem, [i]);
    }
  });
  return { items, byStem, stems: [...byStem.keys()] };
}

const fromEmoji = (emoji: EmojiEntry): Illustration => ({
  sourceId: `fluent-emoji:${emoji.name}`,
  family: "fluent-emoji",
  emoji,
  title: emoji.words[0]!,
  words: emoji.words,
  primary: stemsOf(emoji.words[0]!),
  secondary: stemsOf(emoji.words.slice(1).join(" ")),
});

const fromClipart = (clipart: ClipartEntry): Illustration => ({
  sourceId: `openclipart:${clipart.file}`,
  family: "openclipart",
  clipart,
  title: clipart.title,
  words: clipart.words,
  primary: stemsOf(clipart.title),
  secondary: stemsOf(clipart.words.slice(1).join(" ")),
});

/** Builds the library from both collections; Open Clip Art is left out when it is not installed. */
export function buildIllustrationLibrary(options: { cacheDir?: string; clipartDir?: string } = {}) {
  const emoji = loadEmojiIndex(options.cacheDir).map(fromEmoji);
  const clipart = scanOpenClipart(options.clipartDir).map(fromClipart);
  if (!clipart.length)
    log.warn("Open Clip Art is not installed: offline illustrations use Fluent Emoji only", { folder: options.clipartDir ?? OPENCLIPART_DIR });
  return indexOf([...emoji, ...clipart]);
}

let LIBRARY: Library | undefined;
/** Built on first use, once per process. */
export function illustrationLibrary() {
  LIBRARY ??= buildIllustrationLibrary();
  return LIBRARY;
}

const EXACT_PRIMARY = 1;
const EXACT_SECONDARY = 0.6;
const PARTIAL = 0.3;
/** The scene's words, against the shot's own. */
const SCENE_WEIGHT = 0.3;

/** Pictures matching the query (and, weaker, the scene's text), best first. */
export function rankIllustrations(query: string, sceneText = "", library = illustrationLibrary()) {
  const { items, byStem } = library;
  const scores = new Map<number, number>();
  const wanted = stemsOf(query);
  const scene = stemsOf(sceneText).filter((s) => !wanted.includes(s));
  const add = (stem: string, weight: number) => {
    const rarity = (list: number[]) => Math.log(1 + items.length / list.length);
    const exact = byStem.get(stem);
    if (exact) {
      const w = rarity(exact) * weight;
      for (const i of exact) scores.set(i, (scores.get(i) ?? 0) + w * (items[i]!.primary.includes(stem) ? EXACT_PRIMARY : EXACT_SECONDARY));
    }
    // A word that shares a beginning of four letters or more ("bicycl" and "bicyclist").
    if (stem.length < 4) return;
    const seen = new Set(exact);
    for (const other of library.stems) {
      if (other === stem || !(other.startsWith(stem) || (other.length >= 4 && stem.startsWith(other)))) continue;
      const list = byStem.get(other)!;
      const w = rarity(list) * weight * PARTIAL;
      for (const i of list) {
        if (seen.has(i)) continue;
        seen.add(i);
        scores.set(i, (scores.get(i) ?? 0) + w);
      }
    }
  };
  // The first words of a query are mostly its subject ("a dog in the park").
  for (const [i, stem] of wanted.entries()) add(stem, 1 / (1 + 0.2 * i));
  for (const stem of scene) add(stem, SCENE_WEIGHT);
  return [...scores.entries()]
    .map(([i, score]) => {
      const item = items[i]!;
      // A picture whose name is mostly what was asked is a closer match than one that merely
      // mentions it; on a tie the emoji (drawn for this size) goes first.
      const focus = item.primary.filter((s) => wanted.includes(s)).length / Math.max(1, item.primary.length);
      return { item, score: score * (1 + 0.5 * focus) * (item.family === "fluent-emoji" ? 1.05 : 1) };
    })
    .sort((a, b) => b.score - a.score || a.item.sourceId.localeCompare(b.item.sourceId));
}

export function readIllustrationSvg(item: Illustration) {
  return withoutFilters(item.family === "fluent-emoji" ? readEmojiSvg(item.emoji) : readClipartSvg(item.clipart));
}

// resvg 2.6 (the newest resvg-js) can abort the whole process inside its filter code: an
// assertion in feComposite fails when a filter's region rounds to different sizes, as happened
// drawing a picture into a 1080p card during a test run. A Rust panic cannot be caught in Node,
// so pictures are drawn without their filters: shapes, gradients and colours stay, the soft
// shading of some emoji goes.
const FILTER_ELEMENT = /<(?:[\w-]+:)?filter\b[^>]*?(?:\/>|>[\s\S]*?<\/(?:[\w-]+:)?filter\s*>)/gi;
const FILTER_ATTRIBUTE = /\sfilter\s*=\s*(?:"[^"]*"|'[^']*')/gi;
const FILTER_STYLE = /(?<![\w-])filter\s*:[^;"']*;?/gi;

/** The picture without any filter (see above). */
export function withoutFilters(svg: string) {
  return svg.replace(FILTER_ELEMENT, "").replace(FILTER_ATTRIBUTE, "").replace(FILTER_STYLE, "");
}

/** Whether the picture draws and shows something: some pixels are not transparent, and
 *  not all in one colour. */
export function drawsSomething(svg: string, size = 96) {
  let pixels: Buffer;
  try {
    pixels = new Resvg(svg, { fitTo: { mode: "width", value: size }, font: { loadSystemFonts: false } }).render().pixels;
  } catch {
    return false;
  }
  let shown = 0;
  const colours = new Set<number>();
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3]! < 32) continue;
    shown++;
    if (colours.size < 3) colours.add((pixels[i]! >> 4) * 256 + (pixels[i + 1]! >> 4) * 16 + (pixels[i + 2]! >> 4));
  }
  return shown > pixels.length / 4 / 50 && colours.size > 1;
}

const checked = new Map<string, boolean>();
function usable(item: Illustration) {
  let ok = checked.get(item.sourceId);
  if (ok === undefined) {
    ok = drawsSomething(readIllustrationSvg(item));
    checked.set(item.sourceId, ok);
  }
  return ok;
}

/** How many of the ranking are tried before a shot falls back to the plain card. */
const MAX_TRIED = 200;

/** The best-matching picture this shot can have (not another shot's, one that draws), claimed
 *  for it; null when nothing matches. */
export async function pickIllustration(query: string, sceneText: string, claims: ShotClaims) {
  for (const { item } of rankIllustrations(query, sceneText).slice(0, MAX_TRIED)) {
    if (!(await claims.available(item.sourceId)) || !usable(item)) continue;
    if (await claims.claim(item.sourceId)) return { item, svg: readIllustrationSvg(item) };
  }
  return null;
}

/** The credit line and licence recorded with a shot that shows the picture. */
export function creditOf(item: Illustration) {
  if (item.family === "fluent-emoji") return { credit: `Illustration: ${item.title} (Fluent Emoji, Microsoft), MIT licence`, license: "MIT" };
  const by = item.clipart.creator ? ` by ${item.clipart.creator}` : "";
  return { credit: `Illustration: ${item.title}${by}, Open Clip Art, public domain`, license: "Public domain" };
}
