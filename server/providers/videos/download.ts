// Downloads one stock clip into the shot's folder and checks it before anyone uses it (the
// saving and checking is shared with generated clips: saveClipBody). The link
// comes from the provider's answer, so it is followed only to an allowed media host, through the
// guarded fetch (no redirects, address checks, a time limit). The body is streamed to disk with
// a size cap (STOCK_VIDEO_MAX_MB), must be sent as a video, and must arrive whole; then ffprobe
// and a decoded frame say whether it really is a usable clip.
import { createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { getEnv } from "../../env.ts";
import { checkClip, MediaProbeError, type CheckedClip } from "../../media/probe.ts";
import { ProviderError, toProviderError } from "../errors.ts";
import { cappedBody, providerFetch } from "../http.ts";
import type { MediaHosts } from "../media-hosts.ts";
import type { CallContext } from "../types.ts";
import type { ClipCandidate, ClipFile, FoundClip } from "./types.ts";

export const stockVideoMaxBytes = () => Math.floor(getEnv().STOCK_VIDEO_MAX_MB * 1024 * 1024);

/** The MIME type and extension of a probed clip, from its container (never from its URL). */
function containerOf(clip: CheckedClip) {
  const names = clip.format.split(",");
  if (names.includes("mp4") || names.includes("mov")) return { mime: "video/mp4", ext: "mp4" };
  if (names.includes("webm") && ["vp8", "vp9", "av1"].includes(clip.video.codec)) return { mime: "video/webm", ext: "webm" };
  if (names.includes("matroska")) return { mime: "video/x-matroska", ext: "mkv" };
  return null;
}

/** The same error, its reason saying which clip it was about. */
function aboutClip(what: string, error: unknown) {
  if (!(error instanceof ProviderError)) return error;
  return new ProviderError(error.provider, error.kind, `${what}: ${error.reason}`, { ...error.options, cause: error });
}

const isVideoType = (type: string) => type.startsWith("video/") || type === "application/octet-stream";

/** What a clip's body is saved as, and the setting that caps it (named when it is too large). */
export type ClipBodyOptions = { maxBytes: number; maxSetting: string };

/** A checked clip file on disk and what the probe says of it. */
export type SavedClip = Omit<FoundClip, "sourceId" | "credit" | "sourceUrl" | "words">;

/**
 * Streams an answer that should be a clip to `base`.<ext> and checks it: it must be sent as a
 * video, arrive whole and within the size cap, and be a decodable MP4, WebM or Matroska file.
 * `what` names the clip in every error ("the clip pexels-video:12").
 */
export async function saveClipBody(
  provider: string,
  response: BodyAnswer,
  base: string,
  what: string,
  options: ClipBodyOptions,
  ctx: CallContext,
): Promise<SavedClip> {
  const part = `${base}.download`;
  const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!isVideoType(type)) {
    await response.body?.cancel().catch(() => {});
    throw new ProviderError(provider, "malformed", `${what} was sent as ${type || "no content type"}, not as a video`);
  }
  const declared = Number(response.headers.get("content-length")) || 0;
  let received = 0;
  async function* counted() {
    for await (const chunk of cappedBody(provider, response, options.maxBytes, what)) {
      received += chunk.byteLength;
      yield chunk;
    }
  }
  try {
    await pipeline(Readable.from(counted()), createWriteStream(part, { flags: "wx" }));
    if (declared && received !== declared) throw new Error("the connection closed early");
  } catch (error) {
    await response.body?.cancel().catch(() => {});
    await rm(part, { force: true });
    // The caller's abort, or a fault of our own disk (no space, no folder): not the provider's.
    if (ctx.signal.aborted || (error as NodeJS.ErrnoException).syscall) throw error;
    // Only the size cap throws a ProviderError here (the SDK's capped fetch says it in its own words).
    const cause = error instanceof ProviderError ? error : (error as { cause?: unknown }).cause;
    if (cause instanceof ProviderError) throw new ProviderError(provider, cause.kind, `${cause.reason} (${options.maxSetting})`, { cause: error });
    const classified = toProviderError(provider, error, ctx.signal);
    if (classified instanceof ProviderError && classified.kind === "timeout") {
      throw new ProviderError(provider, "timeout", `${what} did not finish downloading in time (${received} bytes arrived)`, { cause: error });
    }
    const of = declared ? ` of ${declared}` : "";
    throw new ProviderError(provider, "transient", `the download of ${what} stopped after ${received}${of} bytes`, { cause: error });
  }
  let clip: CheckedClip;
  try {
    clip = await checkClip(part, undefined, ctx.signal);
  } catch (error) {
    await rm(part, { force: true });
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (error instanceof MediaProbeError) throw new ProviderError(provider, "malformed", `${what} cannot be used: ${error.message}`, { cause: error });
    throw error;
  }
  const container = containerOf(clip);
  if (!container) {
    await rm(part, { force: true });
    throw new ProviderError(provider, "malformed", `${what} cannot be used: its container (${clip.format}) is not MP4, WebM or Matroska`);
  }
  const saved = `${base}.${container.ext}`;
  // turbopackIgnore: a download's own name, not a file of the project to trace.
  await rename(part, /*turbopackIgnore: true*/ saved);
  return {
    file: saved,
    ...container,
    width: clip.video.displayWidth,
    height: clip.video.displayHeight,
    durationSec: clip.durationSec,
    fps: clip.video.fps,
    hasAudio: clip.audio !== null,
    codec: clip.video.codec,
    bytes: (await stat(/*turbopackIgnore: true*/ saved)).size,
  };
}

type BodyAnswer = { headers: { get(name: string): string | null }; body: { cancel(): Promise<void> } | null };

export async function downloadClip(
  provider: string,
  candidate: ClipCandidate,
  file: ClipFile,
  dir: string,
  options: { hosts: MediaHosts; maxBytes: number },
  ctx: CallContext,
): Promise<FoundClip> {
  const what = `the clip ${candidate.sourceId}`;
  if (!options.hosts.allows(file.url)) {
    throw new ProviderError(
      provider,
      "malformed",
      `${what} links to ${options.hosts.hostOf(file.url)}, not to an allowed media host (${options.hosts.setting})`,
    );
  }
  let response: Awaited<ReturnType<typeof providerFetch>>;
  try {
    response = await providerFetch(provider, file.url, { method: "GET" }, ctx);
  } catch (error) {
    throw aboutClip(what, error);
  }
  const base = path.join(dir, candidate.sourceId.replace(/[^\w.-]+/g, "-"));
  const saved = await saveClipBody(provider, response, base, what, { maxBytes: options.maxBytes, maxSetting: "STOCK_VIDEO_MAX_MB" }, ctx);
  return { ...saved, sourceId: candidate.sourceId, credit: candidate.credit, sourceUrl: candidate.sourceUrl, words: candidate.words };
}
