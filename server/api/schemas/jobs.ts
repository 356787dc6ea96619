// What the jobs procedures return.
import { z } from "zod";
import type { cancelJob, retryJob, reviewScript } from "../../videos/service.ts";
import type { Expect, Fits, Returned, Same } from "./common.ts";
import { jobStatusSchema } from "./videos.ts";

export const cancelResultSchema = z.object({ status: jobStatusSchema, changed: z.boolean() });
export const retryResultSchema = z.object({ status: z.literal("queued"), redoneSteps: z.number() });
export const reviewResultSchema = z.object({ changedScenes: z.number(), approved: z.boolean() });

/** One job event as the progress stream sends it (each message is checked before it goes). */
export const jobEventMessageSchema = z.object({ id: z.string(), type: z.string(), payload: z.record(z.string(), z.unknown()), createdAt: z.string() });

export type JobSchemaChecks = [
  Expect<Fits<z.output<typeof cancelResultSchema>, Returned<typeof cancelJob>>>,
  Expect<Same<z.output<typeof retryResultSchema>, Returned<typeof retryJob>>>,
  Expect<Same<z.output<typeof reviewResultSchema>, Returned<typeof reviewScript>>>,
];
