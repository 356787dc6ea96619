// Chapters, one per scene: what the app lists under the player and what the worker writes
// into the video (its chapter file is built from this list).
import { z } from "zod";
import type { TimelineTiming } from "./timeline.ts";

/** A chapter as the app stores and shows it: whole milliseconds. */
export const chapterSchema = z.object({ title: z.string(), startMs: z.number().int(), endMs: z.number().int() });
export type Chapter = z.infer<typeof chapterSchema>;

/** One chapter per scene (a shot and the shots that continue it): its title (or "Scene N")
 *  and where it starts and ends, to the millisecond. The worker's chapter file and the app's
 *  chapter list both come from this. */
export function chapterList(spec: { scenes: readonly { title?: string; continues?: boolean }[] }, timing: TimelineTiming): Chapter[] {
  const ms = (sec: number) => Math.round(sec * 1000);
  const firsts = spec.scenes.flatMap((shot, i) => (i === 0 || !shot.continues ? [i] : []));
  return firsts.map((i, n) => ({
    title: spec.scenes[i]!.title?.replace(/[\r\n]+/g, " ").trim() || `Scene ${n + 1}`,
    startMs: ms(timing.scenes[i]!.startSec),
    endMs: ms(firsts[n + 1] != null ? timing.scenes[firsts[n + 1]!]!.startSec : timing.totalSec),
  }));
}
