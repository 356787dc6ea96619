// Writes captions, titles, lower thirds and the text watermark as ASS subtitle files, drawn by
// libass (HarfBuzz shapes every script, FriBidi orders right-to-left lines). Text reaches
// FFmpeg only through these files. Lines are broken here, not by libass (which breaks only at
// spaces): by the language's rules (text.ts) and the drawn width each script takes.
import {
  breakUnits,
  captionFontSize,
  captionMarginH,
  NOTO_SCALE,
  captionStyleSchema,
  fontFamilyFor,
  graphemes,
  graphemeWidth,
  languageOrEnglish,
  removeEmoji,
  stripBidiControls,
  wrapText,
  type CaptionStyle,
  type Overlay,
  type RenderSpec,
} from "@aura/render-contract";

/** An overlay as drawn in one file: visible from `start` to `end`; its animation runs on the
 *  overlay's whole span, `from` to `to`, which reaches outside a segment it is cut by. */
export type PlacedOverlay = Overlay & { from: number; to: number };

type Cue = RenderSpec["captions"]["cues"][number];

/** #RRGGBB as ASS wants it: &HAABBGGRR (alpha 00 is opaque). */
export function assColor(hex: string, alpha = "00") {
  const [r, g, b] = [hex.slice(1, 3), hex.slice(3, 5), hex.slice(5, 7)];
  return `&H${alpha}${b}${g}${r}`.toUpperCase();
}

const ALIGNMENT = { bottom: 2, middle: 5, top: 8 } as const;

/** ASS times have centiseconds, and libass shows an event on a frame when its start <= the
 *  frame's time in whole milliseconds < its end. Rounding down keeps a time that falls on a
 *  frame (2/30 s = 66.7 ms) on that frame: rounded to 0.07 s it would start a frame late.
 *  (The small epsilon keeps 0.29 s, stored as 0.28999…, at 29 centiseconds.) */
function formatTime(sec: number) {
  const cs = Math.max(0, Math.floor(sec * 100 + 1e-6));
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}.${String(cs % 100).padStart(2, "0")}`;
}

/** One line of plain text: whitespace runs (newlines too) become one space, and control
 *  characters and bidirectional controls go (a U+202E in one cue could otherwise reverse what
 *  follows it). Sidecar captions (SRT, WebVTT) take it as it is, emoji included. */
export function plainCaptionText(text: string) {
  return (
    stripBidiControls(text)
      .replace(/[\r\n\t]+/g, " ")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** Text as libass draws it: plain, and without emoji, which libass (no colour glyphs) would
 *  draw as boxes. Combining marks and joiners inside words stay. */
export function drawnText(text: string) {
  return plainCaptionText(removeEmoji(stripBidiControls(text)));
}

/** Makes drawn text inert for ASS while drawing every character as itself. libass reads `\{`
 *  and `\}` as literal braces; a backslash is followed by an invisible word joiner (U+2060),
 *  so that it can never start an escape such as `\N` or `\{`. */
function escapeAss(text: string) {
  return text.replace(/[\\{}]/g, (c) => (c === "\\" ? "\\\u2060" : `\\${c}`));
}

export function sanitizeCaptionText(text: string) {
  return escapeAss(drawnText(text));
}

/**
 * How wide libass draws a grapheme, in units of the font size, by its script: measured with
 * the Noto faces of languages.ts on this machine (render-worker/bench/text-widths.ts prints
 * the figures; the estimate comes out 1.04–1.3× the drawn width), so that a line never runs
 * wider than its box. Latin, Cyrillic and Greek take up to 0.45 (capitals), Arabic 0.22–0.24,
 * Hebrew 0.36, Thai 0.39, Devanagari 0.48 and Bengali 0.60 per cluster, a CJK character or
 * Hangul syllable 0.69, a space less than 0.3. A Latin word drawn by the fallback face inside
 * an Arabic line takes what Latin takes.
 */
const SCRIPT_WIDTH: [RegExp, number][] = [
  [/^\s/u, 0.3],
  [/^\p{Script=Arabic}/u, 0.25],
  [/^\p{Script=Hebrew}/u, 0.42],
  [/^\p{Script=Thai}/u, 0.44],
  [/^\p{Script=Devanagari}/u, 0.6],
  [/^[\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}]/u, 0.74],
];

function graphemeDrawnWidth(g: string) {
  const columns = graphemeWidth(g);
  if (columns === 0) return 0;
  if (columns === 2) return 0.74;
  return SCRIPT_WIDTH.find(([re]) => re.test(g))?.[1] ?? 0.52;
}

/** Widths already measured, by text: balancing a caption wraps it a dozen times over the same
 *  words, and splitting a word into graphemes (Intl.Segmenter) is most of the cost. */
const measured = new Map<string, number>();

/** The width a text takes drawn at font size 1 (see SCRIPT_WIDTH). */
export function drawnWidth(text: string) {
  let width = measured.get(text);
  if (width === undefined) {
    width = 0;
    for (const g of graphemes(text)) width += graphemeDrawnWidth(g);
    if (measured.size >= 100_000) measured.clear();
    measured.set(text, width);
  }
  return width;
}

/**
 * A text as lines no wider than `maxWidth` (in font sizes), broken where the language allows
 * (text.ts). Two or more lines are balanced: the narrowest width that needs no more lines, so
 * that a caption's last line is not one word alone.
 */
export function layoutLines(text: string, maxWidth: number, language: string) {
  const lines = wrapText(text, maxWidth, language, drawnWidth);
  if (lines.length < 2) return lines;
  // Below the widest unbreakable piece, wrapText would cut words: never search there.
  let low = Math.max(...breakUnits(text, language).map((unit) => drawnWidth(unit.trimEnd())));
  if (low >= maxWidth) return lines;
  let high = maxWidth;
  for (let i = 0; i < 12; i++) {
    const mid = (low + high) / 2;
    if (wrapText(text, mid, language, drawnWidth).length <= lines.length) high = mid;
    else low = mid;
  }
  return wrapText(text, high, language, drawnWidth);
}

/** The pieces a cue's drawn text is made of for word highlight: its timed words, cleaned like
 *  the text; a word that would split a grapheme cluster with the one before it (a combining
 *  mark or vowel sign timed apart) joins that word, with no space between. */
function highlightWords(cue: Cue) {
  const words: { text: string; start: number; end: number; space?: boolean }[] = [];
  for (const w of cue.words ?? []) {
    const text = drawnText(w.text);
    if (!text || w.end < w.start) continue;
    const last = words.at(-1);
    if (last) {
      const tail = graphemes(last.text).at(-1)!;
      if (graphemes(tail + text)[0] !== tail) {
        last.text += text;
        last.end = Math.max(last.end, w.end);
        last.space = w.space;
        continue;
      }
    }
    words.push({ ...w, text });
  }
  return words;
}

/** Right-to-left lines start with a right-to-left mark: with the style's Encoding -1, libass
 *  then takes the line as a right-to-left paragraph even when it begins with a Latin word or a
 *  number (FriBidi decides by the first strong character). */
const RLM = "\u200f";

type Layout = { language: string; rtl: boolean; spaced: boolean };

function layoutOf(language: string): Layout {
  const info = languageOrEnglish(language);
  return { language: info.code, rtl: info.rtl, spaced: info.spaced };
}

/** Lines joined with ASS hard breaks, each escaped, right-to-left ones marked. */
function assLines(lines: string[], layout: Layout) {
  return lines.map((line) => (layout.rtl ? RLM : "") + escapeAss(line)).join("\\N");
}

/** Dialogue lines for one cue: its text in lines, or with highlight, one event per word in
 *  which that word has the highlight colour. Every event of a cue has the same lines (the
 *  words are placed on the lines of their joined text), so the caption never jumps. */
function cueEvents(cue: Cue, style: CaptionStyle, maxWidth: number, layout: Layout) {
  const line = (start: number, end: number, text: string) => `Dialogue: 0,${formatTime(start)},${formatTime(end)},Caption,,0,0,0,,${text}`;
  const words = style.highlightWords ? highlightWords(cue) : [];
  if (!words.length) {
    const text = drawnText(cue.text);
    return text ? [line(cue.start, cue.end, assLines(layoutLines(text, maxWidth, layout.language), layout))] : [];
  }
  // Words are joined as they were written: with the space that followed each (a Latin name in
  // a Japanese caption keeps its spaces), or by the language's way when the cue does not say.
  const gap = (i: number) => ((words[i]!.space ?? layout.spaced) ? " " : "");
  const lines = layoutLines(words.map((w, i) => w.text + (i < words.length - 1 ? gap(i) : "")).join(""), maxWidth, layout.language);
  // Each word on the line where its first character falls (counted without whitespace, which
  // is all that breaking lines removes).
  const visible = (text: string) => text.replace(/\s+/g, "").length;
  const lineEnds: number[] = [];
  for (const l of lines) lineEnds.push((lineEnds.at(-1) ?? 0) + visible(l));
  let offset = 0;
  const lineOf = words.map((w) => {
    const at = lineEnds.findIndex((end) => offset < end);
    offset += visible(w.text);
    return at < 0 ? lines.length - 1 : at;
  });
  const draw = (highlight: number) =>
    lines
      .map((_, k) => {
        const onLine = words.flatMap((_, i) => (lineOf[i] === k ? [i] : []));
        const parts = onLine.map(
          (i, n) =>
            (i === highlight ? `{\\c${assColor(style.highlightColor)}&}${escapeAss(words[i]!.text)}{\\r}` : escapeAss(words[i]!.text)) +
            (n < onLine.length - 1 ? gap(i) : ""),
        );
        return (layout.rtl ? RLM : "") + parts.join("");
      })
      .filter((l) => l.replace(RLM, ""))
      .join("\\N");
  const events: string[] = [];
  const first = Math.max(cue.start, words[0]!.start);
  if (first > cue.start) events.push(line(cue.start, first, draw(-1)));
  words.forEach((w, i) => {
    const start = Math.max(cue.start, w.start);
    const end = i + 1 < words.length ? Math.max(start, words[i + 1]!.start) : cue.end;
    if (end <= start) return;
    events.push(line(start, Math.min(end, cue.end), draw(i)));
  });
  return events;
}

const ANIMATION_MS = 400;

/** A line's height in font sizes as libass sets Noto (ascent plus descent, about the size),
 *  with a little room for the outline. */
const LINE_HEIGHT = 1.2;

/** The title-safe margin: text keeps this far from the frame's left, right and top edges
 *  (5 % of the short side, as broadcast title-safe areas do). */
export const safeMargin = (width: number, height: number) => Math.round(Math.min(width, height) * 0.05);

/** The captions' distance from their edge of the frame: above a player's controls (which cover
 *  the bottom tenth or so of a landscape player, more of a phone's full-screen one). */
export const captionMarginV = (width: number, height: number) => Math.round(height * (height > width ? 0.2 : 0.12));

/**
 * A text fitted to a place: lines no wider than `maxWidth` pixels, at most `maxLines` of them
 * and no taller than `maxHeight`, at the largest size up to `largest` that allows it. The size
 * goes down by tenths to `smallest`; a text that still does not fit there keeps all its lines
 * (nothing is ever cut off or ended with an ellipsis).
 */
export function fitLines(
  text: string,
  place: { maxWidth: number; maxHeight: number; maxLines: number },
  largest: number,
  language: string,
  smallest = largest / 2,
) {
  let size = Math.max(1, Math.round(largest));
  for (;;) {
    const lines = layoutLines(text, place.maxWidth / size, language);
    const fits = lines.length <= place.maxLines && lines.length * size * LINE_HEIGHT <= place.maxHeight;
    if (fits || size <= smallest) return { lines, size };
    size = Math.max(Math.ceil(smallest), Math.floor(size * 0.9));
  }
}

/** What the overlays need to know of the captions, to keep clear of them. */
type CaptionZone = { position: CaptionStyle["position"]; fontSize: number; marginV: number };

/** The lowest a lower third's box may reach, in pixels from the bottom: above two lines of
 *  captions at the bottom (whether or not this piece of the video has a cue, so that the bar
 *  never jumps), else above a player's controls. */
function lowerThirdFloor(width: number, height: number, captions: CaptionZone) {
  const controls = captionMarginV(width, height);
  if (captions.position !== "bottom") return controls;
  return captions.marginV + Math.round(2 * captions.fontSize * LINE_HEIGHT) + safeMargin(width, height);
}

/** Dialogue lines for titles, lower thirds and cards' words (layer 1, above captions), each
 *  fitted to its place. Animation times are relative to the line's start and may be negative: a
 *  line cut by a segment's start carries on from where the animation stood there, so the joined
 *  video shows no jump. A lower third stands at the bottom left inside the title-safe margin and
 *  above the captions, or for a right-to-left language mirrored at the bottom right (sliding in
 *  from the right). A title is centred (above middle captions). A card's words are centred in
 *  their box, in their colour. */
function overlayEvents(overlays: PlacedOverlay[], width: number, height: number, layout: Layout, scale: number, captions: CaptionZone) {
  const safe = safeMargin(width, height);
  return overlays
    .filter((o) => o.end > o.start)
    .flatMap((o) => {
      const ms = (sec: number) => Math.round((sec - o.start) * 1000);
      const [t1, t4] = [ms(o.from), ms(o.to)];
      const main = drawnText(o.text);
      const sub = o.subtext ? drawnText(o.subtext) : "";
      if (!main && !sub) return [];
      const largest = overlayFontSize(o.kind, width, height, scale);
      const padding = o.kind === "lower-third" ? lowerThirdPadding(largest) : 0;
      const box = o.box
        ? { x: o.box.x * width, y: o.box.y * height, width: o.box.width * width, height: o.box.height * height }
        : { x: safe, y: safe, width: width - 2 * safe, height: height - 2 * safe };
      const place =
        o.kind === "title"
          ? { maxWidth: box.width, maxHeight: height * 0.5, maxLines: 3 }
          : o.kind === "lower-third"
            ? { maxWidth: box.width - 2 * padding, maxHeight: height * 0.2, maxLines: 2 }
            : { maxWidth: box.width, maxHeight: box.height, maxLines: 4 };
      const fitted = main ? fitLines(main, place, largest, layout.language) : { lines: [], size: largest };
      const size = fitted.size;
      const subLargest = Math.round((o.kind === "title" ? 0.45 : 0.7) * size);
      const subFitted = sub ? fitLines(sub, { ...place, maxLines: 2 }, subLargest, layout.language) : null;
      const mirrored = o.kind === "lower-third" && layout.rtl;
      // Anchors: a title's centre; a lower third's bottom-left (bottom-right) corner, its box's
      // padding inside the safe margin; the centre of a card's box.
      const [x, y] =
        o.kind === "title"
          ? [Math.round(width / 2), Math.round(height * (captions.position === "middle" ? 0.3 : 0.5))]
          : o.kind === "lower-third"
            ? [mirrored ? width - safe - padding : safe + padding, height - lowerThirdFloor(width, height, captions) - padding]
            : [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)];
      const tags: string[] = mirrored ? ["\\an3"] : [];
      if (o.kind === "card" && o.color) tags.push(`\\c${assColor(o.color)}`);
      if (o.animation !== "none") tags.push(`\\fade(255,0,255,${t1},${t1 + ANIMATION_MS},${t4 - ANIMATION_MS},${t4})`);
      if (o.animation === "slide" && t1 + ANIMATION_MS > 0) {
        const [x0, y0] = o.kind === "lower-third" ? [Math.round(width * (mirrored ? 1.4 : -0.4)), y] : [x, y + Math.round(height * 0.06)];
        tags.push(`\\move(${x0},${y0},${x},${y},${t1},${t1 + ANIMATION_MS})`);
      } else tags.push(`\\pos(${x},${y})`);
      if (size !== largest) tags.push(`\\fs${size}`);
      const text = [
        ...(fitted.lines.length ? [assLines(fitted.lines, layout)] : []),
        ...(subFitted ? [`{\\fs${subFitted.size}\\b0}${assLines(subFitted.lines, layout)}`] : []),
      ].join("\\N");
      const style = o.kind === "title" ? "Title" : o.kind === "lower-third" ? "LowerThird" : "Card";
      return [`Dialogue: 1,${formatTime(o.start)},${formatTime(o.end)},${style},,0,0,0,,{${tags.join("")}}${text}`];
    });
}

function overlayFontSize(kind: Overlay["kind"], width: number, height: number, scale: number) {
  return Math.round(Math.min(width, height) * (kind === "title" ? 0.095 : kind === "card" ? 0.075 : 0.05) * scale);
}

/** The lower third's box reaches this far around its text (BorderStyle 3's outline). */
const lowerThirdPadding = (size: number) => Math.max(4, Math.round(size / 3));

/** The family that draws captions, titles and lower thirds: the brand's caption font when one
 *  is set, else the Noto face for the video's language and the style's kind. libass falls
 *  back through fontconfig, character by character, to a face that has what this one lacks
 *  (a Latin word in an Arabic caption). */
export function textFamily(style: Pick<CaptionStyle, "font" | "fontFamily">, language: string) {
  return style.fontFamily ?? fontFamilyFor(language, style.font);
}

/** ASS's Encoding field: -1 lets libass find each line's direction (right-to-left lines carry
 *  a mark, assLines); 1 keeps left-to-right, as every line was before languages. */
const encoding = (layout: Layout) => (layout.rtl ? -1 : 1);

const STYLE_FORMAT =
  "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding";

/** The file's head. WrapStyle 2: libass breaks lines only at the `\N` written here. */
const scriptInfo = (width: number, height: number) => [
  "[Script Info]",
  "ScriptType: v4.00+",
  `PlayResX: ${width}`,
  `PlayResY: ${height}`,
  "WrapStyle: 2",
  "ScaledBorderAndShadow: yes",
  "",
  "[V4+ Styles]",
  STYLE_FORMAT,
];

const EVENTS = ["", "[Events]", "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"];

/** The captions, titles and lower thirds of a video (or of a segment, in its own time), in
 *  the video's language (BCP 47): its fonts, its line breaks, its direction. */
export function buildAssFile(
  cues: Cue[],
  width: number,
  height: number,
  styleInput: Partial<CaptionStyle> = {},
  overlays: PlacedOverlay[] = [],
  language = "en",
) {
  const style = captionStyleSchema.parse(styleInput);
  const layout = layoutOf(language);
  const family = textFamily(style, language);
  const scale = style.fontFamily ? 1 : NOTO_SCALE;
  const fontSize = captionFontSize(width, height, style.size, Boolean(style.fontFamily));
  const marginV = style.position === "middle" ? 0 : captionMarginV(width, height);
  const marginH = captionMarginH(width);
  const outline = Math.max(2, Math.round(fontSize / 14));
  const enc = encoding(layout);
  const header = [
    ...scriptInfo(width, height),
    `Style: Caption,${family},${fontSize},${assColor(style.color)},${assColor(style.color)},${assColor(style.outlineColor)},&H80000000,-1,0,0,0,100,100,0,0,1,${outline},1,${ALIGNMENT[style.position]},${marginH},${marginH},${marginV},${enc}`,
    ...(overlays.length
      ? [
          // A title: large, outlined, centred on its anchor.
          `Style: Title,${family},${overlayFontSize("title", width, height, scale)},&H00FFFFFF,&H00FFFFFF,&H00101010,&H80000000,-1,0,0,0,100,100,0,0,1,${Math.max(2, Math.round(overlayFontSize("title", width, height, scale) / 16))},2,5,0,0,0,${enc}`,
          // A lower third: white on a dark translucent box (BorderStyle 3), anchored bottom-left
          // (an event of a right-to-left language anchors it bottom-right: \an3).
          `Style: LowerThird,${family},${overlayFontSize("lower-third", width, height, scale)},&H00FFFFFF,&H00FFFFFF,&H40181818,&H40181818,-1,0,0,0,100,100,0,0,3,${lowerThirdPadding(overlayFontSize("lower-third", width, height, scale))},0,1,0,0,0,${enc}`,
          // A card's words: bold, without outline (on the card's own ground), centred on their
          // anchor; each event sets its colour.
          `Style: Card,${family},${overlayFontSize("card", width, height, scale)},&H00FFFFFF,&H00FFFFFF,&H00101010,&H00000000,-1,0,0,0,100,100,0,0,1,0,0,5,0,0,0,${enc}`,
        ]
      : []),
    ...EVENTS,
  ];
  const maxWidth = (width - 2 * marginH) / fontSize;
  const events = [
    ...cues.filter((cue) => cue.end > cue.start).flatMap((cue) => cueEvents(cue, style, maxWidth, layout)),
    ...overlayEvents(overlays, width, height, layout, scale, { position: style.position, fontSize, marginV }),
  ];
  return [...header, ...events, ""].join("\n");
}

/** The text watermark's size (libass units): H × 0.048 draws Latin as tall as drawtext's
 *  H × 0.035 pixels did (libass sizes a face by its ascent plus descent, about 1.36 em). */
const watermarkSize = (height: number) => Math.round(height * 0.048);

/** Where the watermark goes: its \an alignment (numpad) and anchor, `margin` from the edges. */
export function watermarkAnchor(position: NonNullable<RenderSpec["watermark"]>["position"], margin: number, width: number, height: number) {
  if (position === "center") return { an: 5, x: Math.round(width / 2), y: Math.round(height / 2) };
  const [v, h] = position.split("-") as ["top" | "bottom", "left" | "right"];
  const an = (v === "top" ? 7 : 1) + (h === "right" ? 2 : 0);
  return { an, x: h === "left" ? margin : width - margin, y: v === "top" ? margin : height - margin };
}

/**
 * A text watermark as its own ASS file: one line over the whole video, bold white at the
 * watermark's opacity with a dark border, in the video language's face (shaped and ordered in
 * every script, which FFmpeg 5.1's drawtext does not do for Arabic or Devanagari). A text that
 * draws nothing (emoji only) gives a file without events.
 */
export function buildWatermarkAss(spec: Pick<RenderSpec, "width" | "height" | "language">, watermark: NonNullable<RenderSpec["watermark"]>, text: string) {
  const { width: W, height: H } = spec;
  const layout = layoutOf(spec.language);
  const drawn = drawnText(text);
  const alpha = (opacity: number) =>
    Math.round((1 - opacity) * 255)
      .toString(16)
      .padStart(2, "0");
  const colour = assColor("#FFFFFF", alpha(watermark.opacity));
  const border = Math.max(1, Math.round((H * 0.035) / 16));
  const { an, x, y } = watermarkAnchor(watermark.position, Math.round(H * watermark.margin), W, H);
  return [
    ...scriptInfo(W, H),
    `Style: Watermark,${fontFamilyFor(spec.language, "sans")},${watermarkSize(H)},${colour},${colour},${assColor("#000000", alpha(watermark.opacity * 0.6))},&HFF000000,-1,0,0,0,100,100,0,0,1,${border},0,${an},0,0,0,${encoding(layout)}`,
    ...EVENTS,
    // 99 hours: longer than any video (at most 200 scenes of 600 s, 34 hours), so the mark
    // shows on every frame of the video and of each of its segments.
    ...(drawn ? [`Dialogue: 0,0:00:00.00,99:59:59.99,Watermark,,0,0,0,,{\\an${an}\\pos(${x},${y})}${assLines([drawn], layout)}`] : []),
    "",
  ].join("\n");
}

function clock(sec: number, separator: "," | ".") {
  const ms = Math.max(0, Math.round(sec * 1000));
  const h = Math.floor(ms / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}${separator}${String(ms % 1000).padStart(3, "0")}`;
}

/** Cue text for sidecars: one line, no cue-timing arrow, no markup, no bidirectional
 *  controls (emoji stay: players draw them). In a right-to-left language it starts with a
 *  right-to-left mark: players set a cue's direction by its first strong character, and a cue
 *  that begins with a Latin word or a number would otherwise read left to right. */
function sidecarText(text: string, language: string) {
  return (languageOrEnglish(language).rtl ? RLM : "") + plainCaptionText(text).replaceAll("-->", "→");
}

/** SubRip (.srt) captions, in the video's language (BCP 47). */
export function buildSrt(cues: Cue[], language = "en") {
  return cues
    .filter((cue) => cue.end > cue.start)
    .map(
      (cue, i) => `${i + 1}\n${clock(cue.start, ",")} --> ${clock(cue.end, ",")}\n${sidecarText(cue.text, language).replace(/</g, "‹").replace(/>/g, "›")}\n`,
    )
    .join("\n");
}

/** WebVTT (.vtt) captions, in the video's language; text is escaped as the format requires. */
export function buildVtt(cues: Cue[], language = "en") {
  const body = cues
    .filter((cue) => cue.end > cue.start)
    .map(
      (cue) =>
        `${clock(cue.start, ".")} --> ${clock(cue.end, ".")}\n${sidecarText(cue.text, language).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}\n`,
    )
    .join("\n");
  return `WEBVTT\n\n${body}`;
}
