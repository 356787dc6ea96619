// Paid generation for the visuals stage: each AI video clip or AI image is checked against the
// workspace's monthly spend limit and recorded (quotas/spend.ts) before the provider is asked.
// A video generation is started here and finished later (the workflow polls it between
// sleeps): a step that runs again for the same shot and prompt takes up the generation it
// started before instead of paying for a second one. Generations a cancelled job leaves are
// deleted at the provider, best effort.
import type { Db } from "../../db/client.ts";
import { getEnv } from "../../env.ts";
import { deadlineSignal } from "../../lib/deadline.ts";
import { log } from "../../lib/log.ts";
import { ProviderError } from "../../providers/errors.ts";
import { generateOpenAiImage } from "../../providers/images/openai.ts";
import { configOf } from "../../providers/settings.ts";
import type { CallContext, ProviderConfig } from "../../providers/types.ts";
import { deleteOpenAiVideo, type GenerationRequest, PROVIDER as VIDEO_PROVIDER, startOpenAiVideo } from "../../providers/videos/openai-video.ts";
import { imagePrice, type Orientation, videoClipPrice } from "../../quotas/prices.ts";
import { type GenerationRow, reserveGeneration, SpendLimitError, updateGeneration } from "../../quotas/spend.ts";

/** Whose generation it is: the job and shot it is for. */
export type GenerationOwner = { db: Db; workspaceId: string; jobId: string; videoId: string; shotKey: string };

/** A video generation the provider is working on, as the visuals step records it. */
export type StartedGeneration = {
  /** The PaidGeneration row. */
  recordId: string;
  provider: string;
  remoteId: string;
  model: string;
  seconds: number;
  size: string;
  costUsd: number;
  /** When it was asked for (ISO), for AI_VIDEO_TIMEOUT_MIN. */
  startedAt: string;
};

/** Reserves the spend or says, as the provider's refusal, that the limit would be passed. */
async function reserve(owner: GenerationOwner, row: Omit<GenerationRow, "workspaceId" | "jobId" | "videoId" | "shotKey">) {
  try {
    return await reserveGeneration(owner.db, { ...row, workspaceId: owner.workspaceId, jobId: owner.jobId, videoId: owner.videoId, shotKey: owner.shotKey });
  } catch (error) {
    if (error instanceof SpendLimitError) {
      throw new ProviderError(row.provider, "spend_limit", `not asked: the workspace's monthly AI spend limit would be passed (${error.message})`);
    }
    throw error;
  }
}

/** Starts an AI video clip for a shot, or takes up the one this shot already started. */
export async function startVideoGeneration(
  owner: GenerationOwner,
  config: ProviderConfig,
  request: GenerationRequest,
  ctx: CallContext,
): Promise<StartedGeneration> {
  const { db } = owner;
  const timeoutMs = getEnv().AI_VIDEO_TIMEOUT_MIN * 60_000;
  const earlier = await db.paidGeneration.findFirst({
    where: {
      jobId: owner.jobId,
      shotKey: owner.shotKey,
      provider: config.provider,
      model: request.model,
      prompt: request.prompt.slice(0, 4000),
      status: "started",
      remoteId: { not: null },
      createdAt: { gt: new Date(Date.now() - timeoutMs) },
    },
    orderBy: { createdAt: "desc" },
  });
  if (earlier) {
    return {
      recordId: earlier.id,
      provider: earlier.provider,
      remoteId: earlier.remoteId!,
      model: earlier.model,
      seconds: earlier.units,
      size: request.size,
      costUsd: earlier.costUsd.toNumber(),
      startedAt: earlier.createdAt.toISOString(),
    };
  }
  const costUsd = videoClipPrice(request.model, request.seconds, request.size);
  const record = await reserve(owner, {
    provider: config.provider,
    model: request.model,
    kind: "video",
    units: request.seconds,
    costUsd,
    prompt: request.prompt,
  });
  try {
    const { id } = await startOpenAiVideo(config, request, ctx);
    await updateGeneration(db, record.id, { status: "started", remoteId: id });
    return {
      recordId: record.id,
      provider: config.provider,
      remoteId: id,
      model: request.model,
      seconds: request.seconds,
      size: request.size,
      costUsd,
      startedAt: new Date().toISOString(),
    };
  } catch (error) {
    // Refused or never answered: no generation was made, so there is none to count.
    await db.paidGeneration.delete({ where: { id: record.id } });
    throw error;
  }
}

/** An AI image, counted against the limit (nothing is counted, and no row kept, when the provider failed). */
export async function generatePaidImage(owner: GenerationOwner, config: ProviderConfig, prompt: string, orientation: Orientation, ctx: CallContext) {
  const model = config.model ?? "gpt-image-1";
  const record = await reserve(owner, { provider: config.provider, model, kind: "image", units: 1, costUsd: imagePrice(model, orientation), prompt });
  try {
    const image = await generateOpenAiImage(config, prompt, orientation, ctx);
    await updateGeneration(owner.db, record.id, { status: "completed" });
    return image;
  } catch (error) {
    await owner.db.paidGeneration.delete({ where: { id: record.id } });
    throw error;
  }
}

/** The workspace's current setting of a provider (with its key), or null once it is removed. */
export async function providerConfigOf(db: Db, workspaceId: string, provider: string) {
  const row = await db.providerSetting.findFirst({ where: { workspaceId, capability: "visuals", provider } });
  return row ? configOf(row) : null;
}

/** Deletes a generation nobody will use and records why (best effort: a failure is logged). */
export async function abandonGeneration(
  db: Db,
  workspaceId: string,
  generation: Pick<StartedGeneration, "recordId" | "provider" | "remoteId">,
  reason: string,
) {
  await updateGeneration(db, generation.recordId, { status: "abandoned", error: reason });
  const config = await providerConfigOf(db, workspaceId, generation.provider);
  if (!config || generation.provider !== VIDEO_PROVIDER) return;
  const timeoutMs = Math.min(getEnv().PROVIDER_TIMEOUT_SEC * 1000, 10_000);
  try {
    await deleteOpenAiVideo(config, generation.remoteId, { signal: deadlineSignal(timeoutMs), timeoutMs });
  } catch (error) {
    log.warn("could not delete an abandoned generation", { provider: generation.provider, remoteId: generation.remoteId, reason: (error as Error).message });
  }
}

/** A job that ends without finishing its generations (cancelled, expired) deletes them. */
export async function abandonJobGenerations(db: Db, jobId: string, reason: string) {
  const open = await db.paidGeneration.findMany({ where: { jobId, status: "started", remoteId: { not: null } } });
  await Promise.allSettled(open.map((g) => abandonGeneration(db, g.workspaceId, { recordId: g.id, provider: g.provider, remoteId: g.remoteId! }, reason)));
}
