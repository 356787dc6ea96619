// What a stage's step records of its provider chain: who answered, every call, what was passed
// over. The stages write it into the step's output; the job page reads it back with this schema.
import { z } from "zod";
import type { ChainOutcome } from "./chain.ts";

export const providerCallSchema = z.object({
  provider: z.string(),
  ok: z.boolean(),
  ms: z.number(),
  kind: z.string().optional(),
  error: z.string().optional(),
});
export const fallbackSchema = z.object({ provider: z.string(), reason: z.string() });

/** A step output's report, as read back: a step that called no chain has none of it. */
export const providerReportSchema = z.object({
  provider: z.string().optional(),
  attempts: z.array(providerCallSchema).default([]),
  fallbacks: z.array(fallbackSchema).default([]),
});

export function providerReport(outcome: ChainOutcome<unknown>) {
  return {
    provider: outcome.provider,
    attempts: outcome.attempts,
    ...(outcome.fallbacks.length ? { fallbacks: outcome.fallbacks } : {}),
  } satisfies z.input<typeof providerReportSchema>;
}
