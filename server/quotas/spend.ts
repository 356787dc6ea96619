// The monthly spend limit on paid generation (AI video clips, AI images). Each generation is a
// PaidGeneration row with its estimated cost (prices.ts), written before the provider is asked:
// the check and the row are one transaction under a per-workspace lock, so two scenes (or two
// jobs) at once cannot both take the last dollars. A brief is refused at submit when the
// estimate for its visuals would pass what is left; the visuals stage checks each generation
// again and falls back to the next provider when it would pass.
import { recordAudit } from "../audit/log.ts";
import type { Db, Prisma } from "../db/client.ts";
import { QuotaError } from "../lib/errors.ts";
import type { WorkspaceContext } from "../lib/service-context.ts";
import { TRANSITION_SEC } from "../pipeline/pacing.ts";
import { SHOT_TARGET_SEC } from "../pipeline/shots.ts";
import { buildChain } from "../providers/chain.ts";
import { clipSecondsFor, DEFAULT_VIDEO_MODEL, videoSizeFor } from "../providers/videos/openai-video.ts";
import type { Brief } from "../videos/brief.ts";
import { formatUsd, imagePrice, type Orientation, videoClipPrice } from "./prices.ts";

type Tx = Prisma.TransactionClient | Db;

const startOfMonth = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
const cents = (usd: number) => Math.round(usd * 100) / 100;

/** The workspace's limit in dollars, or null for none. */
export async function spendLimitOf(tx: Tx, workspaceId: string) {
  const w = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { aiSpendLimitUsd: true } });
  return w.aiSpendLimitUsd === null ? null : w.aiSpendLimitUsd.toNumber();
}

/** What paid generation has cost this calendar month (UTC): every generation but those the
 *  provider reported failed. */
export async function spentThisMonth(tx: Tx, workspaceId: string, now = new Date()) {
  const sum = await tx.paidGeneration.aggregate({
    where: { workspaceId, createdAt: { gte: startOfMonth(now) }, status: { not: "failed" } },
    _sum: { costUsd: true },
  });
  return sum._sum.costUsd?.toNumber() ?? 0;
}

/** The limit, what is used and what is left this month, for the settings page and the API. */
export async function spendReport({ db, workspaceId }: WorkspaceContext) {
  const [limitUsd, usedUsd] = await Promise.all([spendLimitOf(db, workspaceId), spentThisMonth(db, workspaceId)]);
  return {
    limitUsd,
    usedUsd: cents(usedUsd),
    leftUsd: limitUsd === null ? null : cents(Math.max(0, limitUsd - usedUsd)),
    monthStart: startOfMonth(new Date()),
  };
}

/** Sets the workspace's monthly limit (null: none), in the audit log with the old and new values. */
export async function setSpendLimit(ctx: WorkspaceContext & { userId?: string | null }, limitUsd: number | null) {
  const { db, workspaceId } = ctx;
  const before = await spendLimitOf(db, workspaceId);
  await db.$transaction([
    db.workspace.update({ where: { id: workspaceId }, data: { aiSpendLimitUsd: limitUsd } }),
    recordAudit(db, {
      workspaceId,
      actorId: ctx.userId ?? null,
      action: "settings.spend_limit_updated",
      targetType: "workspace",
      targetId: workspaceId,
      data: { from: before, to: limitUsd },
    }),
  ]);
}

/** A generation would pass the workspace's limit: what it would cost and what is left. */
export class SpendLimitError extends Error {
  constructor(
    readonly costUsd: number,
    readonly leftUsd: number,
    readonly limitUsd: number,
  ) {
    super(`it would cost about ${formatUsd(costUsd)}; this workspace has ${formatUsd(leftUsd)} of its ${formatUsd(limitUsd)} monthly AI spend limit left`);
  }
}

export type GenerationRow = {
  workspaceId: string;
  jobId: string | null;
  videoId: string | null;
  shotKey: string | null;
  provider: string;
  model: string;
  kind: "video" | "image";
  units: number;
  costUsd: number;
  prompt: string;
};

/** Records a generation about to be asked for, when the limit allows it; throws SpendLimitError otherwise. */
export async function reserveGeneration(db: Db, row: GenerationRow) {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`spend:${row.workspaceId}`}))`;
    const limit = await spendLimitOf(tx, row.workspaceId);
    if (limit !== null) {
      const left = Math.max(0, limit - (await spentThisMonth(tx, row.workspaceId)));
      if (row.costUsd > left + 1e-9) throw new SpendLimitError(row.costUsd, cents(left), limit);
    }
    return tx.paidGeneration.create({ data: { ...row, prompt: row.prompt.slice(0, 4000) }, select: { id: true } });
  });
}

export type GenerationStatus = "started" | "completed" | "failed" | "abandoned";

/** Moves a generation on: started with the provider's id, or ended (with why, when it did not complete). */
export async function updateGeneration(db: Db, id: string, data: { status: GenerationStatus; remoteId?: string; error?: string }) {
  await db.paidGeneration.update({ where: { id }, data: { ...data, ...(data.error ? { error: data.error.slice(0, 500) } : {}) } });
}

/** What the visuals of a brief would cost, estimated from its length: one picture per shot of
 *  about SHOT_TARGET_SEC, from the first provider of the workspace's chain. Nothing when that
 *  provider is not a paid one. */
export async function estimateBriefSpend(db: Db, workspaceId: string, brief: Pick<Brief, "targetLengthSec" | "aspectRatio">) {
  const { links } = await buildChain(db, workspaceId, "visuals");
  const first = links[0]!.config;
  const shots = Math.max(1, Math.ceil(brief.targetLengthSec / SHOT_TARGET_SEC));
  const orientation: Orientation = brief.aspectRatio === "16:9" ? "landscape" : brief.aspectRatio === "1:1" ? "square" : "portrait";
  if (first.provider === "openai-video") {
    const seconds = clipSecondsFor(SHOT_TARGET_SEC + TRANSITION_SEC);
    const each = videoClipPrice(first.model ?? DEFAULT_VIDEO_MODEL, seconds, videoSizeFor(orientation));
    return { what: "AI video", costUsd: cents(shots * each), shots };
  }
  if (first.provider === "openai") {
    return { what: "AI images", costUsd: cents(shots * imagePrice(first.model ?? "gpt-image-1", orientation)), shots };
  }
  return null;
}

/** Refuses a brief whose estimate would pass what the workspace has left this month. */
export async function assertBriefSpend(db: Db, workspaceId: string, brief: Pick<Brief, "targetLengthSec" | "aspectRatio">) {
  const limit = await spendLimitOf(db, workspaceId);
  if (limit === null) return;
  const estimate = await estimateBriefSpend(db, workspaceId, brief);
  if (!estimate) return;
  const left = cents(Math.max(0, limit - (await spentThisMonth(db, workspaceId))));
  if (estimate.costUsd > left) {
    throw new QuotaError(
      "aiSpendPerMonth",
      `targetLengthSec: this video would cost about ${formatUsd(estimate.costUsd)} of ${estimate.what} (${estimate.shots} shots); your workspace has ${formatUsd(left)} left this month of its ${formatUsd(limit)} AI spend limit`,
    );
  }
}
