// The check before the render that every text the worker will draw (captions, the title and
// lower thirds, a text watermark) has an installed font for each of its characters: a
// character none covers is reported by scene and by character, instead of a box in the video.
// Cards are checked where they are drawn (visuals/draw.ts).
import { captionsDelivery, type Brief } from "../../videos/brief.ts";
import { StageInputError } from "../errors.ts";
import type { Script } from "../script/types.ts";
import { type Coverage, installedCoverage, sceneName, uncoveredCharacters, undrawableMessage, videoTitleName } from "../visuals/fonts.ts";

/** What the worker draws, where it comes from, and how to mend it. */
type DrawnText = { where: string; text: string; fix: string };

function drawnTexts(script: Script, brief: Brief, watermarkText: string | null): DrawnText[] {
  const texts: DrawnText[] = [];
  script.scenes.forEach((scene, i) => {
    const where = sceneName(i, scene.title);
    if (captionsDelivery(brief).burned) texts.push({ where, text: scene.narration, fix: "edit the scene to remove it" });
    if (brief.titles && i > 0) texts.push({ where, text: scene.title, fix: "edit the scene to remove it" });
  });
  if (brief.titles) texts.push({ where: videoTitleName(script.title), text: script.title, fix: "edit the title to remove it" });
  if (watermarkText) texts.push({ where: `The watermark ("${watermarkText}")`, text: watermarkText, fix: "change the watermark's text" });
  return texts;
}

/** The problems with a video's drawn texts, one message each (empty when all can be drawn). */
export function undrawableTexts(script: Script, brief: Brief, watermarkText: string | null, coverage: Coverage) {
  return drawnTexts(script, brief, watermarkText).flatMap(({ where, text, fix }) => {
    const missing = uncoveredCharacters(text, coverage);
    return missing.length ? [undrawableMessage(where, missing, fix)] : [];
  });
}

/** Fails the stage for good when a drawn text holds a character no installed font has.
 *  Unchecked where fontconfig is missing (logged once by fonts.ts). */
export function assertTextsDrawable(script: Script, brief: Brief, watermarkText: string | null) {
  const coverage = installedCoverage();
  if (!coverage) return;
  const problems = undrawableTexts(script, brief, watermarkText, coverage);
  if (problems.length) throw new StageInputError(problems.join("; "));
}
