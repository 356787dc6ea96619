import { z } from "zod";
import { INSET_POSITIONS } from "@aura/render-contract";

export const sceneRoles = ["hook", "body", "close"] as const;

/** The stock providers whose search results a person may choose from. */
export const STOCK_PICK_PROVIDERS = ["pexels-video", "pixabay-video"] as const;
/** What a person chose for a shot: an item of the workspace's media library, or one clip of a
 *  stock provider's search results for the shot's query. */
export const shotPickSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("library"), itemId: z.string().min(1).max(64) }),
  z.object({ kind: z.literal("stock"), provider: z.enum(STOCK_PICK_PROVIDERS), sourceId: z.string().min(1).max(100) }),
]);
export type ShotPick = z.infer<typeof shotPickSchema>;

/** A shot of a scene: what it should show, and what a person chose for it (`pick`), or
 *  another take of what the providers give (`take`: 0 is the first; each "try another" asks
 *  for the next). */
export const shotSchema = z.object({
  query: z.string().trim().min(1).max(200),
  pick: shotPickSchema.optional(),
  take: z.number().int().min(0).max(50).optional(),
});
export type ScriptShot = z.infer<typeof shotSchema>;

export const scriptSceneSchema = z.object({
  id: z.string(),
  role: z.enum(sceneRoles),
  title: z.string().min(1).max(120),
  narration: z.string().min(1).max(2000),
  visualPrompt: z.string().min(1).max(500),
  keywords: z.array(z.string()).max(12),
  /** From the analysis: the sentences that carry the scene, and its mood (for the picture). */
  keyPoints: z.array(z.string()).max(4).optional(),
  mood: z.string().max(40).optional(),
  /** The scene's shots in order, each with its own visual query (concrete and filmable, for a
   *  stock clip or a picture). Absent in older scripts: then derived from the words. */
  shots: z.array(shotSchema).min(1).max(8).optional(),
  /** Picture-in-picture: another scene's picture in a corner of this one (set by a person). */
  inset: z
    .object({ sceneId: z.string().min(1), position: z.enum(INSET_POSITIONS) })
    .nullable()
    .optional(),
});

export const shortenedSchema = z.object({
  targetSec: z.number().int().min(1),
  plannedSec: z.number().int().min(0),
  reason: z.string().min(1).max(300),
});
export type Shortened = z.infer<typeof shortenedSchema>;

/** Below this share of its target length, a script is marked shortened. */
export const SHORTENED_BELOW = 0.8;

/** The record of a script the offline writer planned shorter than its target for want of
 *  material (none when it plans near the target). */
export function shortenedFor(targetSec: number, plannedSec: number, withDocuments: boolean): Shortened | undefined {
  const planned = Math.round(plannedSec);
  if (planned >= targetSec * SHORTENED_BELOW) return undefined;
  return { targetSec, plannedSec: planned, reason: `the brief${withDocuments ? " and its documents" : ""} gave enough material for about ${planned} s` };
}

/** A shortened script's record once its length changed (the arc's repair, an edit): the
 *  length it plans now, or none once it comes near its target. */
export function reshortened(shortened: Shortened | undefined, plannedSec: number, reason = shortened?.reason): Shortened | undefined {
  if (!shortened || !reason) return undefined;
  const planned = Math.round(plannedSec);
  return planned < shortened.targetSec * SHORTENED_BELOW ? { targetSec: shortened.targetSec, plannedSec: planned, reason } : undefined;
}

/** The notice a person reads on the video's page and in the REST API. */
export const shortenedNotice = (s: Shortened) =>
  `This video is about ${s.plannedSec} s, not the ${s.targetSec} s asked for: ${s.reason}. Add more detail or documents to make it longer.`;

export const scriptSchema = z.object({
  title: z.string().min(1).max(120),
  scenes: z.array(scriptSceneSchema).min(3).max(16),
  writer: z.string(),
  /** The workspace's reference passages the script was written with. */
  sources: z
    .array(z.object({ documentId: z.string(), document: z.string(), chunk: z.number().int(), excerpt: z.string() }))
    .max(8)
    .optional(),
  /** How hard the narration is to follow, and the speaking rate chosen for it. */
  pace: z.object({ readingGrade: z.number(), wpm: z.number().min(100).max(220) }).optional(),
  /** Set when the writer had too little material for the target length and wrote a shorter
   *  video rather than pad it: the length asked for, the length planned, and why. */
  shortened: shortenedSchema.optional(),
});

export type Script = z.infer<typeof scriptSchema>;
export type ScriptScene = z.infer<typeof scriptSceneSchema>;

/** What a writer is given besides the brief: the workspace's instructions, what its tone
 *  means there, and reference passages from its documents. */
export type ScriptGuidance = { instructions?: string | null; toneInstructions?: string | null; passages?: { document: string; text: string }[] };

/** The writer of the Quick Demo's fixed script: the script stage runs no writer for it. */
export const DEMO_WRITER = "preset:quick-demo";
export const isPresetScript = (script: unknown) => (script as { writer?: unknown } | null)?.writer === DEMO_WRITER;
