// Webhooks: a workspace's URLs that get a POST when one of its videos is ready or fails.
// Each event becomes a delivery row (durable); deliveries are sent with an HMAC-SHA256
// signature ("Aura-Signature: t=<unix seconds>,v1=<hex of HMAC(secret, t + "." + body)>"),
// retried with backoff on any non-2xx answer or error, and logged for the admins. URLs go
// through the same outbound guard as provider calls.
import { createHmac, randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "../audit/log.ts";
import type { Db, Prisma } from "../db/client.ts";
import { BadRequestError, NotFoundError } from "../lib/errors.ts";
import { log } from "../lib/log.ts";
import { ProviderError } from "../providers/errors.ts";
import { checkProviderUrl, guardedFetch } from "../providers/http.ts";
import { decryptSecret, encryptSecret } from "../providers/secrets.ts";
import type { ServiceContext, WorkspaceContext } from "../lib/service-context.ts";

export const WEBHOOK_EVENTS = ["video.succeeded", "video.failed"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** Seconds before attempt 2, 3, …; after the last, the delivery has failed. */
export const WEBHOOK_BACKOFF_SEC = [5, 30, 120, 600, 3600];

/** What a delivery POSTs (its id is the delivery's); the OpenAPI document describes it from here. */
export const webhookPayloadSchema = z
  .object({ id: z.string(), event: z.enum(WEBHOOK_EVENTS), createdAt: z.iso.datetime(), data: z.record(z.string(), z.unknown()) })
  .describe(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the signature's recipe, written for the reader of the API document
    'POSTed to your webhook with "Aura-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of `${t}.${body}` with the webhook secret>", "Aura-Event" and "Aura-Delivery". Answer 2xx; anything else is retried after 5 s, 30 s, 2 min, 10 min and 1 h.',
  );

export const webhookInputSchema = z.object({
  url: z.url({ error: "url must be a URL" }).max(2000),
  events: z.array(z.enum(WEBHOOK_EVENTS, { error: `events are ${WEBHOOK_EVENTS.join(", ")}` })).min(1, "Pick at least one event"),
});

export async function createWebhook(actor: ServiceContext, input: z.input<typeof webhookInputSchema>) {
  const { db } = actor;
  const { url, events } = webhookInputSchema.parse(input);
  try {
    await checkProviderUrl("webhook", url);
  } catch (error) {
    throw new BadRequestError(`url: ${error instanceof ProviderError ? error.reason : (error as Error).message}`);
  }
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  const row = await db.$transaction(async (tx) => {
    const created = await tx.webhook.create({
      data: { workspaceId: actor.workspaceId, url, events: [...new Set(events)], secretCiphertext: encryptSecret(secret) },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "webhook.created",
      targetType: "webhook",
      targetId: created.id,
      data: { url, events },
    });
    return created;
  });
  return { id: row.id, url, events: row.events, secret };
}

export async function listWebhooks({ db, workspaceId }: WorkspaceContext) {
  const hooks = await db.webhook.findMany({
    where: { workspaceId },
    orderBy: { createdAt: "desc" },
    select: { id: true, url: true, events: true, active: true, createdAt: true },
  });
  const deliveries = await db.webhookDelivery.findMany({
    where: { webhook: { workspaceId } },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: {
      id: true,
      webhookId: true,
      event: true,
      status: true,
      attempts: true,
      lastStatus: true,
      lastError: true,
      nextAttemptAt: true,
      deliveredAt: true,
      createdAt: true,
    },
  });
  return { webhooks: hooks, deliveries };
}

export async function deleteWebhook(actor: ServiceContext, webhookId: string) {
  return actor.db.$transaction(async (tx) => {
    const { count } = await tx.webhook.deleteMany({ where: { id: webhookId, workspaceId: actor.workspaceId } });
    if (!count) throw new NotFoundError("webhook");
    await recordAudit(tx, { workspaceId: actor.workspaceId, actorId: actor.userId, action: "webhook.deleted", targetType: "webhook", targetId: webhookId });
    return { deleted: true };
  });
}

/** Queues the event for every active webhook of the workspace that wants it. */
export async function enqueueWebhookEvent(db: Db, workspaceId: string, event: WebhookEvent, data: Record<string, unknown>) {
  const hooks = await db.webhook.findMany({ where: { workspaceId, active: true, events: { has: event } }, select: { id: true } });
  if (!hooks.length) return 0;
  const payload = webhookPayloadSchema.omit({ id: true }).parse({ event, createdAt: new Date().toISOString(), data }) as Prisma.InputJsonValue;
  await db.webhookDelivery.createMany({ data: hooks.map((h) => ({ webhookId: h.id, event, payload })) });
  return hooks.length;
}

export function signPayload(secret: string, timestamp: number, body: string) {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** Sends the deliveries that are due (at most `limit`); claims each with a lease so two
 *  senders never send the same one at once. Returns how many were sent successfully. */
export async function deliverDueWebhooks(db: Db, options: { limit?: number; now?: Date } = {}) {
  const now = options.now ?? new Date();
  const due = await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "WebhookDelivery" WHERE status = 'pending' AND "nextAttemptAt" <= ${now}
      ORDER BY "nextAttemptAt" LIMIT ${options.limit ?? 20} FOR UPDATE SKIP LOCKED`;
    if (!rows.length) return [];
    // The lease: a sender that dies leaves the delivery to be tried again a minute later.
    await tx.webhookDelivery.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { nextAttemptAt: new Date(now.getTime() + 60_000) } });
    return tx.webhookDelivery.findMany({ where: { id: { in: rows.map((r) => r.id) } }, include: { webhook: true } });
  });
  let delivered = 0;
  for (const d of due) {
    const body = JSON.stringify({ id: d.id, ...(d.payload as object) });
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await guardedFetch("webhook")(d.webhook.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Aura-Webhooks/1",
          "aura-event": d.event,
          "aura-delivery": d.id,
          "aura-signature": `t=${timestamp},v1=${signPayload(decryptSecret(d.webhook.secretCiphertext), timestamp, body)}`,
        },
        body,
        signal: AbortSignal.timeout(10_000),
        redirect: "manual",
      });
      status = response.status;
      // The receiver's answer is not read: only its status counts.
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (e) {
      error = e instanceof ProviderError ? e.reason : ((e as Error).message ?? String(e));
    }
    const attempts = d.attempts + 1;
    if (!error) {
      delivered++;
      await db.webhookDelivery.update({
        where: { id: d.id },
        data: { status: "delivered", attempts, lastStatus: status, lastError: null, deliveredAt: new Date() },
      });
    } else {
      const wait = WEBHOOK_BACKOFF_SEC[attempts - 1];
      await db.webhookDelivery.update({
        where: { id: d.id },
        data:
          wait === undefined
            ? { status: "failed", attempts, lastStatus: status, lastError: error }
            : { attempts, lastStatus: status, lastError: error, nextAttemptAt: new Date(Date.now() + wait * 1000) },
      });
      log.info("webhook delivery failed", { deliveryId: d.id, attempts, error });
    }
  }
  return { attempted: due.length, delivered };
}
