// Provider settings of the active workspace (admins and owners): which provider and model per
// capability, keys (write-only), connection tests, offline mode, script instructions, and the
// monthly spend limit on paid generation.
import { z } from "zod";
import { CAPABILITIES, providerSettingInputSchema, toneInstructionsSchema } from "../../providers/catalog.ts";
import { getProviderSettings, removeProviderSetting, saveProviderSetting, setWorkspaceScriptOptions, testProviderSetting } from "../../providers/settings.ts";
import { requirePermission, router, workspaceProcedure } from "../trpc.ts";
import {
  probeOutcomeSchema,
  providerSettingsSchema,
  removedSettingSchema,
  savedSettingSchema,
  setupChecklistSchema,
  setupDismissedSchema,
} from "../schemas/providers.ts";
import { dismissSetupChecklist, getSetupChecklist } from "../../providers/setup.ts";
import { textField } from "../../text/policy.ts";
import { setSpendLimit, spendReport } from "../../quotas/spend.ts";
import { spendLimitInputSchema, spendReportSchema } from "../schemas/workspaces.ts";

const manage = requirePermission("settings.manage");
const target = z.object({ capability: z.enum(CAPABILITIES), provider: z.string().min(1).max(40) });

export const providersRouter = router({
  list: workspaceProcedure
    .use(manage)
    .output(providerSettingsSchema)
    .query(({ ctx }) => getProviderSettings(ctx)),
  /** Saves a setting; a new key, address or model is tested first and refused when it fails. */
  save: workspaceProcedure
    .input(providerSettingInputSchema)
    .use(manage)
    .output(savedSettingSchema)
    .mutation(({ ctx, input }) => saveProviderSetting(ctx, input)),
  remove: workspaceProcedure
    .input(target)
    .use(manage)
    .output(removedSettingSchema)
    .mutation(({ ctx, input }) => removeProviderSetting(ctx, input.capability, input.provider)),
  /** Calls the provider now: latency, or the classified error. */
  test: workspaceProcedure
    .input(target)
    .use(manage)
    .output(probeOutcomeSchema)
    .mutation(({ ctx, input }) => testProviderSetting(ctx, input.capability, input.provider)),
  setOptions: workspaceProcedure
    .input(
      z.object({
        offlineMode: z.boolean().optional(),
        scriptInstructions: textField("Script instructions", { max: 2000, multiline: true })
          .transform((s) => s || null)
          .nullish(),
        toneInstructions: toneInstructionsSchema.optional(),
      }),
    )
    .use(manage)
    .output(providerSettingsSchema)
    .mutation(async ({ ctx, input }) => {
      await setWorkspaceScriptOptions(ctx, input);
      return getProviderSettings(ctx);
    }),
  /** The library's setup checklist for this member (every member sees it; null when closed or done). */
  setup: workspaceProcedure.output(setupChecklistSchema).query(({ ctx }) => getSetupChecklist(ctx)),
  dismissSetup: workspaceProcedure.output(setupDismissedSchema).mutation(({ ctx }) => dismissSetupChecklist(ctx)),
  /** The monthly AI spend limit and this month's use. */
  spend: workspaceProcedure
    .use(manage)
    .output(spendReportSchema)
    .query(({ ctx }) => spendReport(ctx)),
  setSpendLimit: workspaceProcedure
    .input(spendLimitInputSchema)
    .use(manage)
    .output(spendReportSchema)
    .mutation(async ({ ctx, input }) => {
      await setSpendLimit(ctx, input.limitUsd);
      return spendReport(ctx);
    }),
});
