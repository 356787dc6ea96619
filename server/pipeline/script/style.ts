// What each visual style means in words: the script writer and every image provider get the
// same description, so a video's pictures look like one set.
import type { Brief } from "../../videos/brief.ts";

export const STYLE_PROMPTS: Record<Brief["visualStyle"], string> = {
  modern: "clean modern flat illustration, soft gradients, bright balanced colours",
  warm: "warm cinematic photograph, golden-hour light, natural tones, shallow depth of field",
  minimal: "minimalist composition, lots of negative space, muted pastel palette, simple shapes",
  bold: "bold graphic poster art, high contrast, saturated primary colours, strong shapes",
  midnight: "moody night scene, deep blues and purples, neon accents, dramatic lighting",
};

/** A scene's picture prompt with the video's style, so every provider draws the same look. */
export function styledPrompt(prompt: string, style: Brief["visualStyle"], mood?: string) {
  return `${prompt.trim().replace(/[.\s]+$/, "")}. Style: ${STYLE_PROMPTS[style]}.${mood ? ` Mood: ${mood}.` : ""} No text, no letters, no watermark.`;
}
