// Chapter markers, one per scene, as an FFmpeg metadata file (read with -map_chapters).
import type { RenderSpec } from "./spec.ts";
import type { TimelineTiming } from "./timeline.ts";

/** ffmetadata values escape '=', ';', '#', '\' and newlines with a backslash. */
export function escapeMetadata(value: string) {
  return value.replace(/[=;#\\\n]/g, (c) => `\\${c}`);
}

export function buildChaptersFile(spec: Pick<RenderSpec, "scenes">, timing: TimelineTiming) {
  const lines = [";FFMETADATA1"];
  timing.scenes.forEach((scene, i) => {
    const start = Math.round(scene.startSec * 1000);
    const next = timing.scenes[i + 1];
    const end = next ? Math.round(next.startSec * 1000) : Math.round(timing.totalSec * 1000);
    const title = spec.scenes[i]!.title?.replace(/[\r\n]+/g, " ").trim() || `Scene ${i + 1}`;
    lines.push("[CHAPTER]", "TIMEBASE=1/1000", `START=${start}`, `END=${end}`, `title=${escapeMetadata(title)}`);
  });
  return lines.join("\n") + "\n";
}
