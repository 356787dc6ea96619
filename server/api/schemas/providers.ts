// What the provider settings procedures return.
import { z } from "zod";
import { CAPABILITIES } from "../../providers/catalog.ts";
import { TONES } from "../../videos/brief.ts";
import type { getProviderSettings, removeProviderSetting, saveProviderSetting, testProviderSetting } from "../../providers/settings.ts";
import type { dismissSetupChecklist, getSetupChecklist } from "../../providers/setup.ts";
import type { Expect, Returned, Same } from "./common.ts";

const capability = z.enum(CAPABILITIES);

export const publicSettingSchema = z.object({
  capability,
  provider: z.string(),
  enabled: z.boolean(),
  priority: z.number(),
  model: z.string().nullable(),
  voice: z.string().nullable(),
  baseUrl: z.string().nullable(),
  key: z.string().nullable(),
  health: z.object({ status: z.string(), checkedAt: z.date().nullable(), latencyMs: z.number().nullable(), error: z.string().nullable() }).nullable(),
  breaker: z.enum(["closed", "open", "half-open", "isolated"]),
});

export const providerSettingsSchema = z.object({
  offlineMode: z.boolean(),
  serverOffline: z.boolean(),
  scriptInstructions: z.string().nullable(),
  toneInstructions: z.partialRecord(z.enum(TONES), z.string()),
  piperModels: z.array(z.string()),
  settings: z.array(publicSettingSchema),
  available: z.record(capability, z.array(z.string())),
});

export const probeOutcomeSchema = z.union([
  z.object({ ok: z.literal(true), latencyMs: z.number(), detail: z.string(), models: z.array(z.string()).optional() }),
  z.object({ ok: z.literal(false), latencyMs: z.number(), kind: z.string(), message: z.string() }),
]);
export const savedSettingSchema = z.object({ setting: publicSettingSchema, probe: probeOutcomeSchema.nullable() });
export const removedSettingSchema = z.object({ removed: z.number() });

/** The library's setup checklist: null once a member closed it or all three lines work. */
export const setupChecklistSchema = z
  .object({
    lines: z.array(
      z.object({ capability, label: z.string(), state: z.enum(["healthy", "unchecked", "failing", "offline"]), detail: z.string(), href: z.string() }),
    ),
  })
  .nullable();
export const setupDismissedSchema = z.object({ dismissed: z.boolean() });

export type ProviderSchemaChecks = [
  Expect<Same<z.output<typeof providerSettingsSchema>, Returned<typeof getProviderSettings>>>,
  Expect<Same<z.output<typeof savedSettingSchema>, Returned<typeof saveProviderSetting>>>,
  Expect<Same<z.output<typeof probeOutcomeSchema>, Returned<typeof testProviderSetting>>>,
  Expect<Same<z.output<typeof removedSettingSchema>, Returned<typeof removeProviderSetting>>>,
  Expect<Same<z.output<typeof setupChecklistSchema>, Returned<typeof getSetupChecklist>>>,
  Expect<Same<z.output<typeof setupDismissedSchema>, Returned<typeof dismissSetupChecklist>>>,
];
