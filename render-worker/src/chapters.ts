// Chapter markers, one per scene, as an FFmpeg metadata file (read with -map_chapters).
import { chapterList, type RenderSpec, type TimelineTiming } from "@aura/render-contract";

/** ffmetadata values escape '=', ';', '#', '\' and newlines with a backslash. */
export function escapeMetadata(value: string) {
  return value.replace(/[=;#\\\n]/g, (c) => `\\${c}`);
}

export function buildChaptersFile(spec: Pick<RenderSpec, "scenes">, timing: TimelineTiming) {
  const lines = [";FFMETADATA1"];
  for (const chapter of chapterList(spec, timing)) {
    lines.push("[CHAPTER]", "TIMEBASE=1/1000", `START=${chapter.startMs}`, `END=${chapter.endMs}`, `title=${escapeMetadata(chapter.title)}`);
  }
  return `${lines.join("\n")}\n`;
}
