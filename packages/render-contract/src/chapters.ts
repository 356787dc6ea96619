// Chapters, one per scene: what the app lists under the player and what the worker writes
// into the video (its chapter file is built from this list).
import { z } from "zod";
import type { RenderSpec } from "./spec.ts";
import type { TimelineTiming } from "./timeline.ts";

/** A chapter as the app stores and shows it: whole milliseconds. */
export const chapterSchema = z.object({ title: z.string(), startMs: z.number().int(), endMs: z.number().int() });
export type Chapter = z.infer<typeof chapterSchema>;

/** One chapter per scene: its title (or "Scene N") and where it starts and ends, to the
 *  millisecond. The worker's chapter file and the app's chapter list both come from this. */
export function chapterList(spec: Pick<RenderSpec, "scenes">, timing: TimelineTiming): Chapter[] {
  const ms = (sec: number) => Math.round(sec * 1000);
  return timing.scenes.map((scene, i) => ({
    title: spec.scenes[i]!.title?.replace(/[\r\n]+/g, " ").trim() || `Scene ${i + 1}`,
    startMs: ms(scene.startSec),
    endMs: ms(timing.scenes[i + 1]?.startSec ?? timing.totalSec),
  }));
}
