// Chapter markers, one per scene, as an FFmpeg metadata file (read with -map_chapters). Titles
// keep any script and emoji (players draw them); bidirectional controls go, so that one title
// cannot reorder the next in a player's chapter menu.
import { chapterList, stripBidiControls, type RenderSpec, type TimelineTiming } from "@aura/render-contract";

/** ffmetadata values escape '=', ';', '#', '\' and newlines with a backslash. */
export function escapeMetadata(value: string) {
  return value.replace(/[=;#\\\n]/g, (c) => `\\${c}`);
}

export function buildChaptersFile(spec: Pick<RenderSpec, "scenes">, timing: TimelineTiming) {
  const lines = [";FFMETADATA1"];
  for (const [n, chapter] of chapterList(spec, timing).entries()) {
    // A title of controls alone is named like one without a title.
    const title = stripBidiControls(chapter.title).trim() || `Scene ${n + 1}`;
    lines.push("[CHAPTER]", "TIMEBASE=1/1000", `START=${chapter.startMs}`, `END=${chapter.endMs}`, `title=${escapeMetadata(title)}`);
  }
  return `${lines.join("\n")}\n`;
}
