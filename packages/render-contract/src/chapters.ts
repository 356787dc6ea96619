// Chapters, one per scene: what the app lists under the player and what the worker writes
// into the video (its chapter file is built from this list).
import type { RenderSpec } from "./spec.ts";
import type { TimelineTiming } from "./timeline.ts";

/** One chapter per scene: its title (or "Scene N") and where it starts and ends, to the
 *  millisecond. The worker's chapter file and the app's chapter list both come from this. */
export function chapterList(spec: Pick<RenderSpec, "scenes">, timing: TimelineTiming) {
  const ms = (sec: number) => Math.round(sec * 1000);
  return timing.scenes.map((scene, i) => ({
    title: spec.scenes[i]!.title?.replace(/[\r\n]+/g, " ").trim() || `Scene ${i + 1}`,
    startMs: ms(scene.startSec),
    endMs: ms(timing.scenes[i + 1]?.startSec ?? timing.totalSec),
  }));
}
