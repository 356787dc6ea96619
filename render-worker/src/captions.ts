// Writes captions as an ASS subtitle file, rendered by libass (which wraps and centres
// lines, unlike drawtext). Caption text reaches FFmpeg only through this file.
import { captionStyleSchema, type CaptionSize, type CaptionStyle, type Overlay, type RenderSpec } from "@aura/render-contract";

/** An overlay as drawn in one file: visible from `start` to `end`; its animation runs on the
 *  overlay's whole span, `from` to `to`, which reaches outside a segment it is cut by. */
export type PlacedOverlay = Overlay & { from: number; to: number };

type Cue = RenderSpec["captions"]["cues"][number];

/** #RRGGBB as ASS wants it: &HAABBGGRR (alpha 00 is opaque). */
export function assColor(hex: string, alpha = "00") {
  const [r, g, b] = [hex.slice(1, 3), hex.slice(3, 5), hex.slice(5, 7)];
  return `&H${alpha}${b}${g}${r}`.toUpperCase();
}

const SIZE: Record<CaptionSize, number> = { small: 0.8, medium: 1, large: 1.25 };
const ALIGNMENT = { bottom: 2, middle: 5, top: 8 } as const;
const FONT = { sans: "DejaVu Sans", serif: "DejaVu Serif" } as const;

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
 *  characters go. Sidecar captions (SRT, WebVTT) take it as it is. */
export function plainCaptionText(text: string) {
  return (
    text
      .replace(/[\r\n\t]+/g, " ")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** Makes user text inert for ASS while drawing every character as itself. libass reads
 *  `\{` and `\}` as literal braces; a backslash is followed by an invisible word joiner
 *  (U+2060), so that it can never start an escape such as `\N` or `\{`. */
export function sanitizeCaptionText(text: string) {
  return plainCaptionText(text).replace(/[\\{}]/g, (c) => (c === "\\" ? "\\\u2060" : `\\${c}`));
}

/** Dialogue lines for one cue: one line, or with highlight, one line per word in which that
 *  word has the highlight colour (words are sanitized like the rest: no override can leak in). */
function cueEvents(cue: Cue, style: CaptionStyle) {
  const line = (start: number, end: number, text: string) => `Dialogue: 0,${formatTime(start)},${formatTime(end)},Caption,,0,0,0,,${text}`;
  const words = style.highlightWords ? (cue.words ?? []).filter((w) => w.end >= w.start && sanitizeCaptionText(w.text)) : [];
  if (!words.length) return [line(cue.start, cue.end, sanitizeCaptionText(cue.text))];
  const texts = words.map((w) => sanitizeCaptionText(w.text));
  const events: string[] = [];
  const first = Math.max(cue.start, words[0]!.start);
  if (first > cue.start) events.push(line(cue.start, first, texts.join(" ")));
  words.forEach((w, i) => {
    const start = Math.max(cue.start, w.start);
    const end = i + 1 < words.length ? Math.max(start, words[i + 1]!.start) : cue.end;
    if (end <= start) return;
    const text = texts.map((t, k) => (k === i ? `{\\c${assColor(style.highlightColor)}&}${t}{\\r}` : t)).join(" ");
    events.push(line(start, Math.min(end, cue.end), text));
  });
  return events;
}

const ANIMATION_MS = 400;

/** Dialogue lines for titles and lower thirds (layer 1, above captions). Animation times are
 *  relative to the line's start and may be negative: a line cut by a segment's start carries
 *  on from where the animation stood there, so the joined video shows no jump. */
function overlayEvents(overlays: PlacedOverlay[], width: number, height: number) {
  return overlays
    .filter((o) => o.end > o.start)
    .map((o) => {
      const ms = (sec: number) => Math.round((sec - o.start) * 1000);
      const [t1, t4] = [ms(o.from), ms(o.to)];
      const title = o.kind === "title";
      // Anchors: a title's centre; a lower third's bottom-left corner.
      const x = title ? Math.round(width / 2) : Math.round(width * 0.05);
      const y = title ? Math.round(height / 2) : Math.round(height * 0.86);
      const tags: string[] = [];
      if (o.animation !== "none") tags.push(`\\fade(255,0,255,${t1},${t1 + ANIMATION_MS},${t4 - ANIMATION_MS},${t4})`);
      if (o.animation === "slide" && t1 + ANIMATION_MS > 0) {
        const [x0, y0] = title ? [x, y + Math.round(height * 0.06)] : [-Math.round(width * 0.4), y];
        tags.push(`\\move(${x0},${y0},${x},${y},${t1},${t1 + ANIMATION_MS})`);
      } else tags.push(`\\pos(${x},${y})`);
      const sub = o.subtext && sanitizeCaptionText(o.subtext);
      const text = sanitizeCaptionText(o.text) + (sub ? `\\N{\\fs${Math.round((title ? 0.45 : 0.7) * overlayFontSize(o.kind, width, height))}\\b0}${sub}` : "");
      return `Dialogue: 1,${formatTime(o.start)},${formatTime(o.end)},${title ? "Title" : "LowerThird"},,0,0,0,,{${tags.join("")}}${text}`;
    });
}

function overlayFontSize(kind: Overlay["kind"], width: number, height: number) {
  return Math.round(Math.min(width, height) * (kind === "title" ? 0.095 : 0.05));
}

export function buildAssFile(cues: Cue[], width: number, height: number, styleInput: Partial<CaptionStyle> = {}, overlays: PlacedOverlay[] = []) {
  const style = captionStyleSchema.parse(styleInput);
  const portrait = height > width;
  const fontSize = Math.round((portrait ? width : height) * (portrait ? 0.062 : 0.055) * SIZE[style.size]);
  const marginV = style.position === "middle" ? 0 : Math.round(height * (portrait ? 0.2 : 0.07));
  const marginH = Math.round(width * 0.08);
  const outline = Math.max(2, Math.round(fontSize / 14));
  const header = [
    "[Script Info]",
    "ScriptType: v4.00+",
    `PlayResX: ${width}`,
    `PlayResY: ${height}`,
    "WrapStyle: 0",
    "ScaledBorderAndShadow: yes",
    "",
    "[V4+ Styles]",
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
    `Style: Caption,${style.fontFamily ?? FONT[style.font]},${fontSize},${assColor(style.color)},${assColor(style.color)},${assColor(style.outlineColor)},&H80000000,-1,0,0,0,100,100,0,0,1,${outline},1,${ALIGNMENT[style.position]},${marginH},${marginH},${marginV},1`,
    ...(overlays.length
      ? [
          // A title: large, outlined, centred on its anchor.
          `Style: Title,${FONT.sans},${overlayFontSize("title", width, height)},&H00FFFFFF,&H00FFFFFF,&H00101010,&H80000000,-1,0,0,0,100,100,0,0,1,${Math.max(2, Math.round(overlayFontSize("title", width, height) / 16))},2,5,0,0,0,1`,
          // A lower third: white on a dark translucent box (BorderStyle 3), anchored bottom-left.
          `Style: LowerThird,${FONT.sans},${overlayFontSize("lower-third", width, height)},&H00FFFFFF,&H00FFFFFF,&H40181818,&H40181818,-1,0,0,0,100,100,0,0,3,${Math.max(4, Math.round(overlayFontSize("lower-third", width, height) / 3))},0,1,0,0,0,1`,
        ]
      : []),
    "",
    "[Events]",
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
  ];
  const events = [...cues.filter((cue) => cue.end > cue.start).flatMap((cue) => cueEvents(cue, style)), ...overlayEvents(overlays, width, height)];
  return [...header, ...events, ""].join("\n");
}

function clock(sec: number, separator: "," | ".") {
  const ms = Math.max(0, Math.round(sec * 1000));
  const h = Math.floor(ms / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}${separator}${String(ms % 1000).padStart(3, "0")}`;
}

/** Cue text for sidecars: one line, no cue-timing arrow, no markup. */
function sidecarText(text: string) {
  return plainCaptionText(text).replaceAll("-->", "→");
}

/** SubRip (.srt) captions. */
export function buildSrt(cues: Cue[]) {
  return cues
    .filter((cue) => cue.end > cue.start)
    .map((cue, i) => `${i + 1}\n${clock(cue.start, ",")} --> ${clock(cue.end, ",")}\n${sidecarText(cue.text).replace(/</g, "‹").replace(/>/g, "›")}\n`)
    .join("\n");
}

/** WebVTT (.vtt) captions; text is escaped as the format requires. */
export function buildVtt(cues: Cue[]) {
  const body = cues
    .filter((cue) => cue.end > cue.start)
    .map(
      (cue) =>
        `${clock(cue.start, ".")} --> ${clock(cue.end, ".")}\n${sidecarText(cue.text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}\n`,
    )
    .join("\n");
  return `WEBVTT\n\n${body}`;
}
