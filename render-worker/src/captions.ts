// Writes captions as an ASS subtitle file, rendered by libass (which wraps and centres
// lines, unlike drawtext). Caption text reaches FFmpeg only through this file.
import type { RenderSpec } from "./spec.ts";

type Cue = RenderSpec["captions"]["cues"][number];

function formatTime(sec: number) {
  const cs = Math.max(0, Math.round(sec * 100));
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}.${String(cs % 100).padStart(2, "0")}`;
}

/** Makes user text inert for ASS: no override blocks, no escape sequences, one line. */
export function sanitizeCaptionText(text: string) {
  return text
    .replace(/[\r\n\t]+/g, " ")
    .replaceAll("\\", "/") // a backslash could start an ASS escape such as \N
    .replaceAll("{", "(")
    .replaceAll("}", ")")
    .replace(/\s+/g, " ")
    .trim();
}

export function buildAssFile(cues: Cue[], width: number, height: number) {
  const portrait = height > width;
  const fontSize = Math.round((portrait ? width : height) * (portrait ? 0.062 : 0.055));
  const marginV = Math.round(height * (portrait ? 0.2 : 0.07));
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
    `Style: Caption,DejaVu Sans,${fontSize},&H00FFFFFF,&H00FFFFFF,&H00101010,&H80000000,-1,0,0,0,100,100,0,0,1,${outline},1,2,${marginH},${marginH},${marginV},1`,
    "",
    "[Events]",
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
  ];
  const events = cues
    .filter((cue) => cue.end > cue.start)
    .map((cue) => `Dialogue: 0,${formatTime(cue.start)},${formatTime(cue.end)},Caption,,0,0,0,,${sanitizeCaptionText(cue.text)}`);
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
  return sanitizeCaptionText(text).replaceAll("-->", "→");
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
    .map((cue) => `${clock(cue.start, ".")} --> ${clock(cue.end, ".")}\n${sidecarText(cue.text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}\n`)
    .join("\n");
  return `WEBVTT\n\n${body}`;
}
