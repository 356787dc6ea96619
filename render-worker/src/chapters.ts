// Chapter markers, one per scene, as an FFmpeg metadata file (read with -map_chapters).
import type { RenderSpec } from "./spec.ts";
import type { TimelineTiming } from "./timeline.ts";

/** ffmetadata values escape '=', ';', '#', '\' and newlines with a backslash. */
export function escapeMetadata(value: string) {
  return value.replace(/[=;#\\\n]/g, (c) => `\\${c}`);
}

/** One chapter per scene: its title (or "Scene N") and where it starts and ends, to the
 *  millisecond. The file below and the app's chapter list both come from this. */
export function chapterList(spec: Pick<RenderSpec, "scenes">, timing: TimelineTiming) {
  const ms = (sec: number) => Math.round(sec * 1000);
  return timing.scenes.map((scene, i) => ({
    title: spec.scenes[i]!.title?.replace(/[\r\n]+/g, " ").trim() || `Scene ${i + 1}`,
    startMs: ms(scene.startSec),
    endMs: ms(timing.scenes[i + 1]?.startSec ?? timing.totalSec),
  }));
}

export function buildChaptersFile(spec: Pick<RenderSpec, "scenes">, timing: TimelineTiming) {
  const lines = [";FFMETADATA1"];
  for (const chapter of chapterList(spec, timing)) {
    lines.push("[CHAPTER]", "TIMEBASE=1/1000", `START=${chapter.startMs}`, `END=${chapter.endMs}`, `title=${escapeMetadata(chapter.title)}`);
  }
  return lines.join("\n") + "\n";
}
