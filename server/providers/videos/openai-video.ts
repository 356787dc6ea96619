// OpenAI's video API (Sora) through the SDK. A generation takes minutes, so it is not one call:
// the visuals stage starts it (create), the workflow asks how it is going between sleeps
// (retrieve), and once it is completed its MP4 is downloaded, capped and checked like any clip
// (downloadContent). A generation nobody will use is deleted (best effort).
import path from "node:path";
import type { Video, VideoSeconds, VideoSize } from "openai/resources/videos";
import { getEnv } from "../../env.ts";
import { deadlineSignal } from "../../lib/deadline.ts";
import { ProviderError } from "../errors.ts";
import { fromOpenAiError, openaiClient } from "../llm/openai.ts";
import type { CallContext, ProbeResult, ProviderConfig } from "../types.ts";
import { saveClipBody, type SavedClip } from "./download.ts";
import type { ClipOrientation } from "./types.ts";

export const PROVIDER = "openai-video";
export const DEFAULT_VIDEO_MODEL = "sora-2";

/** The clip lengths the API makes, in seconds. */
export const AI_VIDEO_SECONDS = [4, 8, 12] as const;

/** The shortest clip that covers the shot (the longest when none does: the render loops it). */
export function clipSecondsFor(shotSec: number) {
  return AI_VIDEO_SECONDS.find((s) => s >= shotSec) ?? AI_VIDEO_SECONDS.at(-1)!;
}

/** The 720p size of the output's orientation (the API makes no square video: a square output
 *  gets a landscape clip, which the render crops or fits). */
export function videoSizeFor(orientation: ClipOrientation): VideoSize {
  return orientation === "portrait" ? "720x1280" : "1280x720";
}

export const aiVideoMaxBytes = () => Math.floor(getEnv().AI_VIDEO_MAX_MB * 1024 * 1024);

const client = (config: ProviderConfig, ctx: CallContext, maxBytes?: number) => openaiClient(config, ctx.timeoutMs, { provider: PROVIDER, maxBytes });

export type GenerationRequest = { model: string; prompt: string; seconds: number; size: VideoSize };

/** How a generation stands, in Aura's terms. */
export type GenerationState =
  | { status: "waiting"; progress: number }
  | { status: "completed" }
  | { status: "failed"; kind: "content_policy" | "failed"; reason: string };

/** Starts a generation; returns its id. A refused prompt is a content_policy ProviderError. */
export async function startOpenAiVideo(config: ProviderConfig, request: GenerationRequest, ctx: CallContext) {
  try {
    const video = await client(config, ctx).videos.create(
      { model: request.model, prompt: request.prompt.slice(0, 4000), seconds: String(request.seconds) as VideoSeconds, size: request.size },
      { signal: ctx.signal },
    );
    if (typeof video?.id !== "string" || !video.id) throw new ProviderError(PROVIDER, "malformed", "the answer has no video id");
    const state = stateOf(video);
    if (state.status === "failed") throw new ProviderError(PROVIDER, state.kind === "content_policy" ? "content_policy" : "bad_request", state.reason);
    return { id: video.id };
  } catch (error) {
    throw fromOpenAiError(error, ctx.signal, PROVIDER);
  }
}

const REFUSAL = /moderation|content_policy|content policy|safety|blocked/i;

function stateOf(video: Video): GenerationState {
  if (video.status === "completed") return { status: "completed" };
  if (video.status === "failed") {
    const code = video.error?.code ?? "";
    const message = video.error?.message?.replace(/\s+/g, " ").slice(0, 300) || "no reason given";
    return REFUSAL.test(`${code} ${message}`)
      ? { status: "failed", kind: "content_policy", reason: `the content was refused by the provider's policy: ${message}` }
      : { status: "failed", kind: "failed", reason: `the generation failed${code ? ` (${code})` : ""}: ${message}` };
  }
  if (video.status === "queued" || video.status === "in_progress") return { status: "waiting", progress: Number(video.progress) || 0 };
  throw new ProviderError(PROVIDER, "malformed", `the answer has an unknown status "${String(video.status).slice(0, 40)}"`);
}

/** Asks how a generation stands. */
export async function retrieveOpenAiVideo(config: ProviderConfig, id: string, ctx: CallContext): Promise<GenerationState> {
  try {
    return stateOf(await client(config, ctx).videos.retrieve(id, { signal: ctx.signal }));
  } catch (error) {
    throw fromOpenAiError(error, ctx.signal, PROVIDER);
  }
}

/** Downloads a completed generation's MP4 into `dir` and checks it (AI_VIDEO_MAX_MB caps it). */
export async function downloadOpenAiVideo(config: ProviderConfig, id: string, dir: string, ctx: CallContext): Promise<SavedClip> {
  const maxBytes = aiVideoMaxBytes();
  const what = `the generated clip ${id}`;
  // The SDK's time limit ends with the headers; the body is read under this one.
  const signal = deadlineSignal(ctx.timeoutMs, ctx.signal);
  let response: Response;
  try {
    response = await client(config, ctx, maxBytes).videos.downloadContent(id, { variant: "video" }, { signal });
  } catch (error) {
    const classified = fromOpenAiError(error, ctx.signal, PROVIDER);
    if (classified instanceof ProviderError) throw new ProviderError(PROVIDER, classified.kind, `${what}: ${classified.reason}`, classified.options);
    throw classified;
  }
  return saveClipBody(PROVIDER, response, path.join(dir, id.replace(/[^\w.-]+/g, "-")), what, { maxBytes, maxSetting: "AI_VIDEO_MAX_MB" }, { ...ctx, signal });
}

/** Deletes a generation (one nobody will use); a generation already gone is fine. */
export async function deleteOpenAiVideo(config: ProviderConfig, id: string, ctx: CallContext) {
  try {
    await client(config, ctx).videos.delete(id, { signal: ctx.signal });
  } catch (error) {
    const classified = fromOpenAiError(error, ctx.signal, PROVIDER);
    if (classified instanceof ProviderError && classified.kind === "not_found") return;
    throw classified;
  }
}

/** Lists one video: proves the key, the address and that the server has the video API. */
export async function probeOpenAiVideo(config: ProviderConfig, ctx: CallContext): Promise<ProbeResult> {
  try {
    const page = await client(config, ctx).videos.list({ limit: 1 }, { signal: ctx.signal });
    return { detail: `the video API answers (${page.data.length ? "videos listed" : "no videos yet"})` };
  } catch (error) {
    throw fromOpenAiError(error, ctx.signal, PROVIDER);
  }
}
