// What the API key and webhook procedures return.
import { z } from "zod";
import type { createApiKey, listApiKeys, revokeApiKey } from "../../api-keys/service.ts";
import type { createWebhook, deleteWebhook, listWebhooks } from "../../webhooks/service.ts";
import type { deletedSchema, revokedSchema, Expect, Returned, Same } from "./common.ts";

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  createdAt: z.date(),
});
export const createdApiKeySchema = z.object({ id: z.string(), name: z.string(), prefix: z.string(), scopes: z.array(z.string()), key: z.string() });
export const webhooksSchema = z.object({
  webhooks: z.array(z.object({ id: z.string(), url: z.string(), events: z.array(z.string()), active: z.boolean(), createdAt: z.date() })),
  deliveries: z.array(
    z.object({
      id: z.string(),
      webhookId: z.string(),
      event: z.string(),
      status: z.string(),
      attempts: z.number(),
      lastStatus: z.number().nullable(),
      lastError: z.string().nullable(),
      nextAttemptAt: z.date(),
      deliveredAt: z.date().nullable(),
      createdAt: z.date(),
    }),
  ),
});
export const createdWebhookSchema = z.object({ id: z.string(), url: z.string(), events: z.array(z.string()), secret: z.string() });

export type AutomationSchemaChecks = [
  Expect<Same<z.output<typeof apiKeySchema>[], Returned<typeof listApiKeys>>>,
  Expect<Same<z.output<typeof createdApiKeySchema>, Returned<typeof createApiKey>>>,
  Expect<Same<z.output<typeof webhooksSchema>, Returned<typeof listWebhooks>>>,
  Expect<Same<z.output<typeof createdWebhookSchema>, Returned<typeof createWebhook>>>,
  Expect<Same<z.output<typeof revokedSchema>, Returned<typeof revokeApiKey>>>,
  Expect<Same<z.output<typeof deletedSchema>, Returned<typeof deleteWebhook>>>,
];
