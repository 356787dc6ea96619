// The render spec: the contract between the app and the render worker. The app builds it
// from the timeline; the worker validates it here and never trusts it further than this.
import { z } from "zod";
import { FORMAT_EXTENSION, FORMATS } from "./formats.ts";
import type { RenderQuality } from "./quality.ts";
import { storageKeySchema } from "./storage-key.ts";
import { computeTiming } from "./timeline.ts";

export const motionSchema = z.object({
  kind: z.enum(["zoom-in", "zoom-out", "pan-left", "pan-right", "none"]),
  /** How far the camera travels: 0.1 = 10 % zoom or a pan over 10 % of the width. */
  strength: z.number().min(0).max(0.5).default(0.12),
});

export const INSET_POSITIONS = ["top-left", "top-right", "bottom-left", "bottom-right"] as const;
/** Picture-in-picture: a second picture in a corner of the scene, still while the scene moves
 *  under it; it comes and goes with its scene (through the scene's transitions). */
export const insetSchema = z.object({
  image: storageKeySchema,
  position: z.enum(INSET_POSITIONS).default("top-right"),
  /** The box the picture fits in, as a share of the video's width and height (aspect kept). */
  size: z.number().min(0.1).max(0.6).default(0.3),
  /** Distance from the edges, as a share of the video's height. */
  margin: z.number().min(0).max(0.2).default(0.04),
  /** A frame around the picture, or null for none. */
  border: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour such as #FFFFFF")
    .nullable()
    .default("#FFFFFF"),
});
export type Inset = z.infer<typeof insetSchema>;

/** How a clip of another aspect fills the frame: cropped to fill it, or whole over a blurred,
 *  enlarged copy of itself. */
export const CLIP_FITS = ["crop", "blur"] as const;
/** A video clip as a shot's picture. The worker decodes it from `start`, converts it to the
 *  render's frame rate, applies its rotation, scales and fits it, and loops it only when it
 *  ends before the shot does. */
export const clipSchema = z.object({
  key: storageKeySchema,
  /** Seconds into the clip where the shot begins (what comes before is trimmed). */
  start: z.number().min(0).max(36_000).default(0),
  /** The clip's own sound under the narration at this gain, or null to leave it out. */
  volumeDb: z.number().min(-60).max(0).nullable().default(null),
  fit: z.enum(CLIP_FITS).default("crop"),
});
export type Clip = z.infer<typeof clipSchema>;

/**
 * One shot of the timeline. A scene of the script is one shot or several in a row: the first
 * carries the scene's narration and title; each further one has `continues` set (it belongs to
 * the scene before it: no chapter of its own) and no narration of its own (the scene's
 * narration plays on across it). Each shot shows a still (`image`, moved by `motion`) or a
 * video clip (`clip`), never both.
 */
export const sceneSchema = z.object({
  image: storageKeySchema.optional(),
  clip: clipSchema.nullable().default(null),
  /** A further shot of the scene before it. */
  continues: z.boolean().default(false),
  narration: storageKeySchema.nullable(),
  /** Seconds the scene is on screen, including the transition into the next one. */
  duration: z.number().positive().max(600),
  /** Seconds after the scene starts that its narration begins. */
  narrationOffset: z.number().min(0).max(10).default(0),
  motion: motionSchema,
  /** The scene's name in the chapter list. */
  title: z.string().max(200).optional(),
  /** A picture-in-picture over the scene. */
  inset: insetSchema.nullable().default(null),
});

export const captionCueSchema = z.object({
  start: z.number().min(0),
  end: z.number().positive(),
  text: z.string().min(1).max(500),
  /** When each word of the text is spoken (seconds on the timeline), for word-by-word highlight. */
  words: z
    .array(
      z.object({
        text: z.string().min(1).max(100),
        start: z.number().min(0),
        end: z.number().min(0),
        /** A space follows the word where it was written (left out: the language's way,
         *  a space between words except in Chinese, Japanese and Thai). */
        space: z.boolean().optional(),
      }),
    )
    .max(200)
    .optional(),
});

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour such as #FFFFFF");
export const CAPTION_SIZES = ["small", "medium", "large"] as const;
export type CaptionSize = (typeof CAPTION_SIZES)[number];
/** Moods of the music bed the worker generates itself. */
export const MUSIC_MOODS = ["calm", "bright", "dark"] as const;
export type MusicMood = (typeof MUSIC_MOODS)[number];
export const CAPTION_POSITIONS = ["bottom", "middle", "top"] as const;
/** A font family name as captions may name it: plain text, never ASS or filter syntax. */
export const FONT_FAMILY_PATTERN = /^[\p{L}\p{N} _-]{1,100}$/u;
export const captionStyleSchema = z
  .object({
    font: z.enum(["sans", "serif"]).default("sans"),
    size: z.enum(CAPTION_SIZES).default("medium"),
    position: z.enum(CAPTION_POSITIONS).default("bottom"),
    color: hexColor.default("#FFFFFF"),
    outlineColor: hexColor.default("#101010"),
    /** The spoken word in another colour, word by word (needs cue word timings). */
    highlightWords: z.boolean().default(false),
    highlightColor: hexColor.default("#FFD23F"),
    /** A font file (TrueType or OpenType) for the captions instead of `font`, by storage key, and
     *  the family name it gives itself (what the caption style names). Both or neither. */
    fontKey: storageKeySchema.optional(),
    fontFamily: z.string().regex(FONT_FAMILY_PATTERN, "must be letters, digits, spaces, - and _ only").optional(),
  })
  .refine((style) => !style.fontKey === !style.fontFamily, { path: ["fontFamily"], message: "a caption font needs both its key and its family name" });
export type CaptionStyle = z.infer<typeof captionStyleSchema>;

export const OVERLAY_KINDS = ["title", "lower-third", "card"] as const;
export const OVERLAY_ANIMATIONS = ["none", "fade", "slide"] as const;
const fraction = z.number().min(0).max(1);
/** Text drawn over the video for a while: a centred title, a lower third (a name bar at the
 *  bottom left), or a card's words (the title of a picture drawn without its words, in the box
 *  the picture leaves for them, in the card's colour), appearing at once, fading, or sliding in
 *  (and fading out). Every kind is fitted to its place (wrapped, then made smaller), never cut. */
export const overlaySchema = z
  .object({
    kind: z.enum(OVERLAY_KINDS),
    text: z.string().trim().min(1).max(200),
    subtext: z.string().trim().max(160).optional(),
    /** Seconds on the timeline. */
    start: z.number().min(0),
    end: z.number().positive(),
    animation: z.enum(OVERLAY_ANIMATIONS).default("fade"),
    /** A card's words: where they go, as shares of the frame's width and height. */
    box: z.object({ x: fraction, y: fraction, width: fraction.positive(), height: fraction.positive() }).optional(),
    /** A card's words: their colour (titles and lower thirds are white). */
    color: hexColor.optional(),
  })
  .refine((o) => o.end > o.start, { path: ["end"], message: "must be after start" })
  .refine((o) => (o.kind === "card") === Boolean(o.box), { path: ["box"], message: "a card's words need their box, and only they have one" });
export type Overlay = z.infer<typeof overlaySchema>;

export const TRANSITIONS = ["crossfade", "dissolve", "wipe-left", "wipe-right", "wipe-up", "wipe-down", "slide-left", "slide-right", "fade-black"] as const;
export const QUALITIES = ["draft", "standard", "premium", "maximum"] as const;
export const WATERMARK_POSITIONS = ["top-left", "top-right", "bottom-left", "bottom-right", "center"] as const;

export const watermarkSchema = z.object({
  source: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("text"), text: z.string().trim().min(1).max(100) }),
    z.object({ kind: z.literal("image"), key: storageKeySchema }),
  ]),
  position: z.enum(WATERMARK_POSITIONS).default("bottom-right"),
  opacity: z.number().min(0.05).max(1).default(0.6),
  /** Distance from the edges, as a share of the video's height. */
  margin: z.number().min(0).max(0.25).default(0.04),
});

/** Sound effects made inside FFmpeg from sine and noise sources (no file needed). */
export const EFFECT_SOUNDS = ["whoosh", "chime", "pop"] as const;
export const effectSchema = z.object({
  sound: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("generated"), name: z.enum(EFFECT_SOUNDS) }),
    z.object({ kind: z.literal("asset"), key: storageKeySchema }),
  ]),
  /** When it starts, in seconds from the start of the video. */
  at: z.number().min(0).max(3600),
  volumeDb: z.number().min(-40).max(6).default(-6),
});

export const renderSpecSchema = z
  .object({
    version: z.literal(1),
    width: z
      .number()
      .int()
      .min(64)
      .max(7680)
      .refine((v) => v % 2 === 0, "must be even"),
    height: z
      .number()
      .int()
      .min(64)
      .max(4320)
      .refine((v) => v % 2 === 0, "must be even"),
    fps: z.number().int().min(1).max(60),
    quality: z.enum(QUALITIES).default("standard"),
    /** Codec and container: H.264 MP4 (default), HDR10 HEVC MP4, VP9 WebM or ProRes MOV. */
    format: z.enum(FORMATS).default("mp4-h264"),
    /** The language of the video's text (BCP 47): it picks the fonts, where lines may break
     *  and their direction (languages.ts). */
    language: z
      .string()
      .max(35)
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "must be a BCP 47 tag such as en or zh-Hant")
      .default("en"),
    scenes: z.array(sceneSchema).min(1).max(200),
    transition: z.object({ kind: z.enum(TRANSITIONS), duration: z.number().min(0).max(3) }),
    captions: z.object({
      /** Burn the cues into the picture. The sidecar files (output.srt, output.vtt) are written
       *  from the cues either way: a video whose captions are a player's track has cues and
       *  `enabled` false. */
      enabled: z.boolean(),
      cues: z.array(captionCueSchema).max(5000),
      style: captionStyleSchema.default(captionStyleSchema.parse({})),
    }),
    music: z
      .object({
        source: z.discriminatedUnion("kind", [
          // The seed picks the piece the worker composes for the mood (the same seed, the same
          // music); without one, the mood alone.
          z.object({ kind: z.literal("generated"), mood: z.enum(MUSIC_MOODS), seed: z.string().min(1).max(200).optional() }),
          z.object({ kind: z.literal("asset"), key: storageKeySchema }),
        ]),
        volumeDb: z.number().min(-60).max(0).default(-16),
        duck: z.boolean().default(true),
      })
      .nullable(),
    /** Sound effects, mixed with the narration at their times; the music ducks under the voice only. */
    effects: z.array(effectSchema).max(500).default([]),
    watermark: watermarkSchema.nullable().default(null),
    /** Titles and lower thirds, drawn with the captions (libass), above them. */
    overlays: z.array(overlaySchema).max(200).default([]),
    /** Chapter markers in the MP4, one per scene. */
    chapters: z.boolean().default(false),
    loudness: z.object({ integratedLufs: z.number().min(-40).max(-5), truePeakDb: z.number().min(-9).max(0) }),
    output: z.object({
      video: storageKeySchema,
      poster: storageKeySchema,
      /** Caption sidecar files, written when captions have cues. */
      srt: storageKeySchema.optional(),
      vtt: storageKeySchema.optional(),
      /** Where the growing preview goes while the render runs (preview.ts); none without it. */
      preview: storageKeySchema.optional(),
    }),
  })
  .superRefine((spec, ctx) => {
    if (!spec.output.video.endsWith(FORMAT_EXTENSION[spec.format])) {
      ctx.addIssue({ code: "custom", path: ["output", "video"], message: `must end in ${FORMAT_EXTENSION[spec.format]} for ${spec.format}` });
    }
    // The length in whole frames, as rendered (timeline.ts); a little under it for float sums.
    const totalSec = computeTiming(spec).totalSec;
    spec.effects.forEach((effect, i) => {
      if (effect.at >= totalSec - 1e-6)
        ctx.addIssue({ code: "custom", path: ["effects", i, "at"], message: `must be before the end of the video (${Math.round(totalSec * 100) / 100} s)` });
    });
    spec.scenes.forEach((scene, i) => {
      if (!scene.image === !scene.clip)
        ctx.addIssue({ code: "custom", path: ["scenes", i, "image"], message: "a shot shows either an image or a clip, exactly one" });
      if (i === 0 && scene.continues) ctx.addIssue({ code: "custom", path: ["scenes", 0, "continues"], message: "the first shot cannot continue a scene" });
      if (i < spec.scenes.length - 1 && scene.duration <= spec.transition.duration) {
        ctx.addIssue({ code: "custom", path: ["scenes", i, "duration"], message: "must be longer than the transition" });
      }
    });
  });

export type RenderSpec = z.infer<typeof renderSpecSchema>;
export type RenderSpecInput = z.input<typeof renderSpecSchema>;
export type SceneSpec = RenderSpec["scenes"][number];

export const renderRequestSchema = z.object({
  /** Chosen by the caller, so that a retried submit does not start a second render. */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
  correlationId: z.string().max(200).optional(),
  spec: renderSpecSchema,
});

export type RenderStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

type StoredFile = { key: string; bytes: number; sha256: string };

export type RenderResult = {
  video: StoredFile & { durationSec: number; width: number; height: number; hasAudio: boolean; chapters: number };
  poster: StoredFile & { width: number; height: number };
  captions?: { srt?: StoredFile; vtt?: StoredFile };
  encoder: string;
  /** What was measured and fixed in each scene's narration. */
  narration?: { scene: number; sampleRate: number; channels: number; maxDb: number; gainDb: number; fixes: string[] }[];
  /** How many segments the render had, and how many came from the cache. */
  segments?: { total: number; cached: number };
  /** Set when the preferred (hardware) encoder failed and software finished the render. */
  fellBackFrom?: string;
  /** What was measured in the finished file (quality.ts); absent from older workers. */
  quality?: RenderQuality;
  /** The music bed played: composed with fluidsynth, the chord made in FFmpeg (fluidsynth or
   *  its sound font missing), the spec's file, or none. */
  music?: "composed" | "chord" | "file" | "none";
  elapsedSec: number;
  /** Milliseconds from the render's start to the first playable preview (none without one). */
  previewReadyMs?: number;
};

export type RenderProgress = { percent: number; outTimeSec: number; fps: number | null; speed: number | null; etaSec: number | null };

/** The error a worker gives a render it cancelled because no one asked about it for its lease:
 *  the app places such a render again instead of failing it. */
export const ABANDONED_RENDER = "abandoned";

export type RenderState = {
  id: string;
  status: RenderStatus;
  progress: RenderProgress;
  result?: RenderResult;
  error?: string;
  createdAt: string;
  finishedAt?: string;
};
