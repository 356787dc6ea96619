// What the videos procedures and the REST API return.
import { chapterSchema } from "@aura/render-contract";
import { z } from "zod";
import { fallbackSchema, providerCallSchema } from "../../providers/report.ts";
import { JobStatus, StepStatus, VideoStatus } from "../../db/generated/enums.ts";
import type { getVideoDetail, listVideos, setVideoTags } from "../../videos/queries.ts";
import type { editScene } from "../../videos/service.ts";
import { INSET_POSITIONS, LANGUAGE_CODES } from "../../videos/brief.ts";
import { sceneRoles, shotPickSchema } from "../../pipeline/script/types.ts";
import { qualityReportSchema } from "../../pipeline/render/quality-report.ts";
import { degradationSchema } from "../../videos/degraded.ts";
import { jsonValue, type Expect, type Returned, type Same } from "./common.ts";

export const videoStatusSchema = z.enum(VideoStatus);
export const jobStatusSchema = z.enum(JobStatus);
export const stepStatusSchema = z.enum(StepStatus);

/** The language a video is narrated in, as its brief resolved it (English for older videos). */
export const videoLanguageSchema = z.enum(LANGUAGE_CODES).describe("The video's language (BCP 47), as its brief resolved it");

export const createdVideoSchema = z.object({ videoId: z.string(), jobId: z.string() });

export const videoListItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: videoStatusSchema,
  durationSec: z.number().nullable(),
  createdAt: z.date(),
  thumbnailUrl: z.string().nullable(),
  progress: z.number(),
  tags: z.array(z.string()),
  language: videoLanguageSchema,
  creator: z.string(),
  /** Stages made worse than asked (offline chain, a provider passed over); empty when none. */
  degraded: z.array(degradationSchema),
});

const insetSchema = z.object({ sceneId: z.string(), position: z.enum(INSET_POSITIONS) });

const stepSchema = z.object({
  stepId: z.string(),
  stage: z.string(),
  status: stepStatusSchema,
  attempts: z.number(),
  durationMs: z.number().nullable(),
  provider: z.string().nullable(),
  error: z.string().nullable(),
  calls: z.array(providerCallSchema),
  fallbacks: z.array(fallbackSchema),
  credit: z.string().nullable(),
  segments: z.object({ total: z.number(), cached: z.number() }).nullable(),
  history: z.array(
    z.object({
      attempt: z.number(),
      status: stepStatusSchema,
      provider: z.string().nullable(),
      error: z.string().nullable(),
      durationMs: z.number(),
      startedAt: z.date(),
    }),
  ),
});

export const videoDetailSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: videoStatusSchema,
  brief: jsonValue,
  language: videoLanguageSchema,
  durationSec: z.number().nullable(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  createdAt: z.date(),
  videoUrl: z.string().nullable(),
  posterUrl: z.string().nullable(),
  captions: z.object({ srt: z.string().nullable(), vtt: z.string().nullable() }),
  chapters: z.array(chapterSchema),
  /** What the newest render measured and found; null before the first. */
  quality: qualityReportSchema.nullable(),
  degraded: z.array(degradationSchema),
  scenes: z.array(
    z.object({
      id: z.string(),
      role: z.enum(sceneRoles),
      title: z.string(),
      narration: z.string(),
      visualPrompt: z.string(),
      mood: z.string().nullable(),
      inset: insetSchema.nullable(),
      thumbnailUrl: z.string().nullable(),
      /** The scene's shots: what each asked for and, once made, what it shows and whose it is. */
      shots: z.array(
        z.object({
          query: z.string(),
          /** The media library item a person chose for the shot. */
          pick: shotPickSchema.nullable(),
          /** Which take of the providers' pictures the shot asks for (0: the first). */
          take: z.number(),
          kind: z.enum(["image", "clip"]).nullable(),
          provider: z.string().nullable(),
          url: z.string().nullable(),
          thumbnailUrl: z.string().nullable(),
          /** The asset's own words (a stock title or tags, or what a picture was made from). */
          words: z.array(z.string()),
          /** False when the asset's words share nothing with the query: the shot is flagged. */
          match: z.boolean().nullable(),
          credit: z.string().nullable(),
          license: z.string().nullable(),
          sourceUrl: z.string().nullable(),
        }),
      ),
    }),
  ),
  pace: z.object({ readingGrade: z.number(), wpm: z.number() }).nullable(),
  sources: z.array(z.object({ documentId: z.string(), document: z.string(), chunk: z.number(), excerpt: z.string() })),
  writer: z.string().nullable(),
  shortened: z.object({ targetSec: z.number(), plannedSec: z.number(), reason: z.string(), notice: z.string() }).nullable(),
  tags: z.array(z.string()),
  job: z
    .object({
      id: z.string(),
      status: jobStatusSchema,
      progress: z.number(),
      currentStage: z.string().nullable(),
      correlationId: z.string(),
      waitingFor: z.string().nullable(),
      waitUntil: z.date().nullable(),
      engine: z.string(),
      error: z.object({ stage: z.string(), provider: z.string().nullable(), reason: z.string().nullable() }).nullable(),
      steps: z.array(stepSchema),
    })
    .nullable(),
});

export const editSceneResultSchema = z.object({ changed: z.boolean(), redoneSteps: z.number() });
export const tagsResultSchema = z.object({ tags: z.array(z.string()) });

export type VideoSchemaChecks = [
  Expect<Same<z.output<typeof videoListItemSchema>[], Returned<typeof listVideos>>>,
  Expect<Same<z.output<typeof videoDetailSchema>, Returned<typeof getVideoDetail>>>,
  Expect<Same<z.output<typeof editSceneResultSchema>, Returned<typeof editScene>>>,
  Expect<Same<z.output<typeof tagsResultSchema>, Returned<typeof setVideoTags>>>,
];
