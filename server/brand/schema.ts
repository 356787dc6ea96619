// The brand kit's fields as the settings page, tRPC and the REST API send and receive them.
// Imports nothing server-only, so the page uses the same schema and defaults.
import { z } from "zod";
import { WATERMARK_POSITIONS } from "@aura/render-contract";

export const LOGO_USES = ["watermark", "intro"] as const;
export const LOGO_USE_LABELS: Record<(typeof LOGO_USES)[number], string> = {
  watermark: "In a corner of every frame",
  intro: "Alone on the brand colour before the first scene (about 2 s)",
};
export const LOGO_POSITIONS = WATERMARK_POSITIONS;

/** A kit's values before an admin changes any: what a workspace without a kit shows. */
export const BRAND_DEFAULTS = {
  logoUse: "watermark",
  logoPosition: "bottom-right",
  logoOpacity: 0.8,
  primaryColor: "#1E3A8A",
  backgroundColor: "#0F172A",
  accentColor: "#38BDF8",
  captionColor: "#FFFFFF",
  captionHighlightColor: "#FFD23F",
} as const;

const color = (label: string) =>
  z
    .string({ error: `${label} must be a colour such as #1E3A8A` })
    .regex(/^#[0-9a-fA-F]{6}$/, `${label} must be a colour such as #1E3A8A`)
    .transform((value) => value.toUpperCase());
const itemId = (label: string) =>
  z
    .string({ error: `${label} must be a media library item's id` })
    .min(1)
    .max(64)
    .nullable();

/** A change to the kit: each field given is set, each left out keeps its value; an item set to
 *  null is taken off the kit. */
export const brandKitUpdateSchema = z.object({
  logoItemId: itemId("Logo").optional().describe("A picture of the media library, or null for no logo"),
  logoUse: z.enum(LOGO_USES, { error: `Logo use must be one of: ${LOGO_USES.join(", ")}` }).optional(),
  logoPosition: z.enum(LOGO_POSITIONS, { error: `Logo position must be one of: ${LOGO_POSITIONS.join(", ")}` }).optional(),
  logoOpacity: z
    .number({ error: "Logo opacity must be a number from 0.05 to 1" })
    .min(0.05, "Logo opacity must be at least 0.05")
    .max(1, "Logo opacity must be at most 1")
    .optional(),
  primaryColor: color("Primary colour").optional().describe("Cards' main colour and the intro card's background"),
  backgroundColor: color("Background colour").optional().describe("Cards' second background colour"),
  accentColor: color("Accent colour").optional(),
  captionColor: color("Caption colour").optional(),
  captionHighlightColor: color("Caption highlight colour").optional().describe("The spoken word's colour when captions highlight words"),
  introItemId: itemId("Intro clip").optional().describe("A video clip of the media library played before the first scene, or null"),
  outroItemId: itemId("Outro clip").optional().describe("A video clip of the media library played after the last scene, or null"),
  musicItemId: itemId("Music").optional().describe("An audio file of the media library as the default music, or null"),
});
export type BrandKitUpdate = z.input<typeof brandKitUpdateSchema>;

const itemRef = z.object({ id: z.string(), name: z.string(), kind: z.enum(["image", "video", "audio"]), durationSec: z.number().nullable() }).nullable();

/** The kit as members see it. `configured` is false until an admin first saves it: a workspace
 *  without a kit shows the defaults, and new briefs do not use it. */
export const brandKitSchema = z.object({
  configured: z.boolean(),
  logo: itemRef,
  logoUse: z.enum(LOGO_USES),
  logoPosition: z.enum(LOGO_POSITIONS),
  logoOpacity: z.number(),
  primaryColor: z.string(),
  backgroundColor: z.string(),
  accentColor: z.string(),
  captionColor: z.string(),
  captionHighlightColor: z.string(),
  font: z.object({ family: z.string(), fileName: z.string() }).nullable().describe("The caption font, by the family name its file gives"),
  intro: itemRef,
  outro: itemRef,
  music: itemRef,
  updatedAt: z.string().nullable().describe("ISO 8601, UTC; null until first saved"),
});
export type BrandKitView = z.output<typeof brandKitSchema>;
