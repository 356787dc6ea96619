// What the render worker measures in the finished file, returned with the render's result:
// loudness and true peak, and the stretches of silence, black and frozen picture. The app
// reads it back with this schema and builds the video's quality report from it.
import { z } from "zod";

const stretchSchema = z.object({ start: z.number(), end: z.number() });
export type Stretch = z.infer<typeof stretchSchema>;

/** The thresholds the worker measured with, stated in the result so that a report can say them. */
export const QUALITY_THRESHOLDS = {
  /** silencedetect: quieter than this for at least `silenceMinSec` counts as silence. */
  silenceNoiseDb: -50,
  silenceMinSec: 1,
  /** blackdetect: a frame is black when 98 % of its pixels are darker than 10 % luma, for at least 1 s
   *  (a fade-black transition passes through black far more briefly). */
  blackMinSec: 1,
  blackPixelThreshold: 0.1,
  /** freezedetect: frames that differ less than this (-60 dB of noise) for at least 5 s. */
  freezeNoiseDb: -60,
  freezeMinSec: 5,
} as const;

export const renderQualitySchema = z.object({
  /** Integrated loudness (EBU R128) in LUFS; null when the file is silent throughout. */
  integratedLufs: z.number().nullable(),
  /** True peak in dBTP; null when the file is silent throughout. */
  truePeakDb: z.number().nullable(),
  silences: z.array(stretchSchema),
  blacks: z.array(stretchSchema),
  freezes: z.array(stretchSchema),
  /** Seconds the measuring pass took. */
  elapsedSec: z.number(),
});
export type RenderQuality = z.infer<typeof renderQualitySchema>;
