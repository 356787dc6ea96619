// Public share links: one unguessable token per link, optional expiry, revocable. A link
// opens a watch page with the video's player and title and nothing else of its workspace.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "../audit/log.ts";
import { BadRequestError, NotFoundError } from "../lib/errors.ts";
import type { DbContext, ServiceContext, WorkspaceContext } from "../lib/service-context.ts";
import { sidecarKey } from "../videos/media.ts";

export const shareInputSchema = z.object({
  videoId: z.string().min(1),
  expiresInDays: z.coerce
    .number()
    .int("expiresInDays must be a whole number")
    .min(1, "expiresInDays must be at least 1")
    .max(365, "expiresInDays must be at most 365")
    .nullish(),
});

export async function createShareLink(actor: ServiceContext, input: z.input<typeof shareInputSchema>) {
  const { db } = actor;
  const { videoId, expiresInDays } = shareInputSchema.parse(input);
  const video = await db.video.findFirst({ where: { id: videoId, workspaceId: actor.workspaceId } });
  if (!video) throw new NotFoundError("video");
  if (!video.outputAssetId) throw new BadRequestError("Only a ready video can be shared");
  return db.$transaction(async (tx) => {
    const link = await tx.shareLink.create({
      data: {
        workspaceId: actor.workspaceId,
        videoId,
        token: randomBytes(24).toString("base64url"),
        createdById: actor.userId,
        expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 86400_000) : null,
      },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "share.created",
      targetType: "video",
      targetId: videoId,
      data: { linkId: link.id, expiresAt: link.expiresAt },
    });
    return link;
  });
}

export async function listShareLinks({ db, workspaceId }: WorkspaceContext, videoId: string) {
  return db.shareLink.findMany({ where: { workspaceId, videoId, revokedAt: null }, orderBy: { createdAt: "desc" } });
}

export async function revokeShareLink(actor: ServiceContext, linkId: string) {
  return actor.db.$transaction(async (tx) => {
    const link = await tx.shareLink.findFirst({ where: { id: linkId, workspaceId: actor.workspaceId, revokedAt: null } });
    if (!link) throw new NotFoundError("share link");
    await tx.shareLink.update({ where: { id: link.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "share.revoked",
      targetType: "video",
      targetId: link.videoId,
      data: { linkId: link.id },
    });
    return { revoked: true };
  });
}

/** The shared video behind a token, or null when the link is unknown, revoked or expired. */
export async function resolveShareToken({ db }: DbContext, token: string) {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const link = await db.shareLink.findUnique({
    where: { token },
    include: {
      video: { select: { id: true, title: true, width: true, height: true, durationSec: true, outputAssetId: true, thumbnailAssetId: true, brief: true } },
    },
  });
  if (!link || link.revokedAt || (link.expiresAt && link.expiresAt <= new Date()) || !link.video.outputAssetId) return null;
  return link;
}

/** A shared video's media file (the video, its poster or its captions) behind a valid token, or null. */
export async function getSharedMedia(ctx: DbContext, token: string, kind: string) {
  const { db } = ctx;
  const link = await resolveShareToken(ctx, token);
  if (!link) return null;
  const assetId = kind === "video" ? link.video.outputAssetId : kind === "poster" ? link.video.thumbnailAssetId : null;
  let asset = assetId ? await db.asset.findFirst({ where: { id: assetId, workspaceId: link.workspaceId } }) : null;
  if (kind === "captions.vtt" && link.video.outputAssetId) {
    const output = await db.asset.findUnique({ where: { id: link.video.outputAssetId }, select: { storageKey: true } });
    asset = output
      ? await db.asset.findFirst({ where: { workspaceId: link.workspaceId, kind: "captions", storageKey: sidecarKey(output.storageKey, ".vtt") } })
      : null;
  }
  return asset;
}

export async function countShareView({ db }: DbContext, linkId: string) {
  await db.shareLink.update({ where: { id: linkId }, data: { views: { increment: 1 } } });
}
