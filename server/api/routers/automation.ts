// API keys and webhooks of the active workspace (admins and the owner). A key and a webhook
// secret are shown once, when made.
import { z } from "zod";
import { apiKeyInputSchema, createApiKey, KEY_PERMISSION, listApiKeys, revokeApiKey } from "../../api-keys/service.ts";
import { createWebhook, deleteWebhook, listWebhooks, webhookInputSchema } from "../../webhooks/service.ts";
import { requirePermission, router, workspaceProcedure } from "../trpc.ts";
import { apiKeySchema, createdApiKeySchema, createdWebhookSchema, webhooksSchema } from "../schemas/automation.ts";
import { deletedSchema, revokedSchema } from "../schemas/common.ts";

const manage = workspaceProcedure.use(requirePermission("automation.manage"));
const manageKeys = workspaceProcedure.use(requirePermission(KEY_PERMISSION));

export const automationRouter = router({
  apiKeys: manageKeys.output(z.array(apiKeySchema)).query(({ ctx }) => listApiKeys(ctx)),
  createApiKey: manageKeys
    .input(apiKeyInputSchema)
    .output(createdApiKeySchema)
    .mutation(({ ctx, input }) => createApiKey(ctx, input)),
  revokeApiKey: manageKeys
    .input(z.object({ keyId: z.string().min(1) }))
    .output(revokedSchema)
    .mutation(({ ctx, input }) => revokeApiKey(ctx, input.keyId)),
  webhooks: manage.output(webhooksSchema).query(({ ctx }) => listWebhooks(ctx)),
  createWebhook: manage
    .input(webhookInputSchema)
    .output(createdWebhookSchema)
    .mutation(({ ctx, input }) => createWebhook(ctx, input)),
  deleteWebhook: manage
    .input(z.object({ webhookId: z.string().min(1) }))
    .output(deletedSchema)
    .mutation(({ ctx, input }) => deleteWebhook(ctx, input.webhookId)),
});
