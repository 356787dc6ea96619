// Presets of the brief form: one choice that fills several fields at once for a common kind of
// video (a YouTube explainer, a Short or Reel, a LinkedIn square). Defined once here and checked
// against the brief's own field schemas, so a preset can never fill a value the brief refuses;
// the form shows which fields a preset changed, and every field stays editable afterwards.
// Imports nothing server-only: the brief form uses it in the browser.
import type { z } from "zod";
import { briefFields } from "./brief.ts";

export { CAPTIONS_MODES, type CaptionsMode } from "./brief.ts";

/** The fields a preset may fill: the brief's own schemas for them, and nothing else. */
export const presetFieldsSchema = briefFields
  .pick({ aspectRatio: true, targetLengthSec: true, tone: true, captions: true, captionSize: true, captionHighlight: true, captionsMode: true })
  .partial()
  .strict();
export type PresetFields = z.output<typeof presetFieldsSchema>;

export type Preset = { id: string; label: string; description: string; fields: PresetFields };

// The brief's length is at most 180 s: the explainer takes all of it (3 minutes).
export const PRESETS = [
  {
    id: "youtube-explainer",
    label: "YouTube explainer",
    description: "Landscape 16:9, 3 minutes, informative, captions as a track viewers turn on",
    fields: {
      aspectRatio: "16:9",
      targetLengthSec: 180,
      tone: "informative",
      captions: true,
      captionsMode: "track",
      captionSize: "medium",
      captionHighlight: false,
    },
  },
  {
    id: "short-or-reel",
    label: "Short or Reel",
    description: "Vertical 9:16, 60 seconds, playful, large burned-in captions with each word lit",
    fields: { aspectRatio: "9:16", targetLengthSec: 60, tone: "playful", captions: true, captionsMode: "burned", captionSize: "large", captionHighlight: true },
  },
  {
    id: "linkedin-square",
    label: "LinkedIn square",
    description: "Square 1:1, 90 seconds, serious, burned-in captions (most watch muted)",
    fields: {
      aspectRatio: "1:1",
      targetLengthSec: 90,
      tone: "serious",
      captions: true,
      captionsMode: "burned",
      captionSize: "medium",
      captionHighlight: false,
    },
  },
] as const satisfies readonly Preset[];

export type PresetId = (typeof PRESETS)[number]["id"];

export const presetInfo = (id: string): Preset | undefined => PRESETS.find((p) => p.id === id);

/** Each field the preset sets to a value other than `current`'s, in the preset's order. */
export function presetChanges(preset: Preset, current: Partial<Record<keyof PresetFields, unknown>>) {
  return (Object.entries(preset.fields) as [keyof PresetFields, unknown][])
    .filter(([field, value]) => current[field] !== value)
    .map(([field, value]) => ({ field, from: current[field], to: value }));
}
