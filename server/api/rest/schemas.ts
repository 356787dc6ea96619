// The REST API's response shapes. The routes send every JSON body through these schemas and
// the OpenAPI document is generated from them (openapi.ts), so the two cannot drift.
import { z } from "zod";
import type { listVideos } from "../../videos/queries.ts";
import { jobErrorSchema, type Expect, type Returned, type Same } from "../schemas/common.ts";
import { cancelResultSchema } from "../schemas/jobs.ts";
import { chapterSchema } from "@aura/render-contract";
import { jobStatusSchema, videoLanguageSchema, videoStatusSchema } from "../schemas/videos.ts";
import { mediaItemSchema } from "../schemas/library.ts";
import { qualityReportSchema } from "../../pipeline/render/quality-report.ts";
import { degradationSchema } from "../../videos/degraded.ts";

const timestamp = z.iso.datetime().describe("ISO 8601, UTC");

export const restVideoSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: videoStatusSchema,
  language: videoLanguageSchema,
  durationSec: z.number().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  tags: z.array(z.string()),
  createdAt: timestamp,
  chapters: z.array(chapterSchema).describe("One per scene, as in the file; empty until the video is ready, and while an edited scene renders again."),
  job: z
    .object({ id: z.string(), status: jobStatusSchema, progress: z.number(), stage: z.string().nullable(), error: jobErrorSchema.nullable() })
    .nullable()
    .describe("The video's latest job"),
  scenes: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        shots: z.array(
          z.object({
            query: z.string().describe("What the shot should show"),
            kind: z.enum(["image", "clip"]).nullable().describe("A still or a video clip; null until made"),
            provider: z.string().nullable(),
            credit: z.string().nullable().describe("Whose picture or clip it is, as the provider asks to credit it"),
            license: z
              .string()
              .nullable()
              .describe('The licence of a picture from the built-in illustration library ("MIT", "Public domain"); null for others'),
            sourceUrl: z.string().nullable().describe("The provider's page for it"),
            words: z.array(z.string()).describe("The asset's own words: a stock clip's tags or title, or what a picture was made from"),
            match: z.boolean().nullable().describe("False when those words share nothing with the query (the shot may not match)"),
          }),
        ),
      }),
    )
    .describe("The script's scenes, each with its shots"),
  degraded: z
    .array(degradationSchema)
    .describe("Stages made worse than asked: on the built-in offline providers, or after a configured provider failed; empty when none"),
  quality: qualityReportSchema
    .nullable()
    .describe("What the newest render measured and found (replaced by each render, an edit's too); null until the first render"),
  shortened: z
    .object({
      targetSec: z.number().int().describe("The length the brief asked for"),
      plannedSec: z.number().int().describe("The length the script plans"),
      reason: z.string(),
      notice: z.string().describe("The notice the video's page shows, in plain words"),
    })
    .nullable()
    .describe("Set when the brief held too little material for its length: the video is shorter rather than padded"),
  links: z.object({ self: z.string(), download: z.string().nullable().describe("Set once the MP4 is ready") }),
});

export const restVideoSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  status: videoStatusSchema,
  durationSec: z.number().nullable(),
  createdAt: timestamp,
  progress: z.number(),
  tags: z.array(z.string()),
  language: videoLanguageSchema,
  creator: z.string(),
  degraded: z
    .array(degradationSchema)
    .describe("Stages made worse than asked: on the built-in offline providers, or after a configured provider failed; empty when none"),
  links: z.object({ self: z.string() }),
});

export const restVideoListSchema = z.object({ videos: z.array(restVideoSummarySchema) });

export const restCancelSchema = cancelResultSchema.extend({ video: restVideoSchema });

/** A media library item: what the app shows, with REST links instead of the app's own. */
export const restMediaItemSchema = mediaItemSchema.omit({ createdAt: true, fileUrl: true, thumbnailUrl: true }).extend({
  createdAt: timestamp,
  links: z.object({ self: z.string(), file: z.string().describe("The original (supports Range)"), thumbnail: z.string().describe("A small JPEG") }),
});

export const restMediaPageSchema = z.object({
  items: z.array(restMediaItemSchema),
  total: z.number().int().describe("Items matching, on every page"),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const restRemovedSchema = z.object({ removed: z.boolean() });

export const restUsageSchema = z.object({
  aiSpend: z
    .object({
      limitUsd: z.number().nullable().describe("The monthly limit on paid generation (AI video, AI images) in US dollars; null: none"),
      usedUsd: z.number().describe("Estimated spend this calendar month (UTC)"),
      leftUsd: z.number().nullable().describe("What is left this month; null when there is no limit"),
      monthStart: timestamp,
    })
    .describe("Estimated from Aura's price table, not from the provider's bill"),
});

/** The list's items are the library's rows (less the thumbnail) with their link: checked here. */
export type RestSchemaChecks = [
  Expect<Same<Omit<z.output<typeof restVideoSummarySchema>, "links" | "createdAt">, Omit<Returned<typeof listVideos>[number], "thumbnailUrl" | "createdAt">>>,
];
