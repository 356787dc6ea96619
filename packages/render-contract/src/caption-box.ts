// Where captions are drawn and how large: the worker sets its caption style from these, and
// the app sizes caption cues from the same figures, so that a cue the app plans as two lines
// is two lines on the frame.
import type { CaptionSize } from "./spec.ts";

const SIZE: Record<CaptionSize, number> = { small: 0.8, medium: 1, large: 1.25 };

/** The Noto faces draw smaller than DejaVu Sans did at the same ASS size (Noto Sans Bold's
 *  capitals 73 against 83 pixels at size 100, measured with libass): their sizes are raised by
 *  this much, so that captions and titles keep the height they had. A brand's own font keeps
 *  the sizes it was chosen with. */
export const NOTO_SCALE = 1.14;

/** The caption font size in pixels of the frame (ASS PlayRes = the frame). */
export function captionFontSize(width: number, height: number, size: CaptionSize, brandFont = false) {
  const portrait = height > width;
  return Math.round((portrait ? width : height) * (portrait ? 0.062 : 0.055) * SIZE[size] * (brandFont ? 1 : NOTO_SCALE));
}

/** The caption's left and right margin in pixels. */
export const captionMarginH = (width: number) => Math.round(width * 0.08);
