// Pexels stock videos: a search (GET /videos/search with the key in Authorization), then the
// chosen file of the chosen clip from Pexels' video host (PEXELS_VIDEO_HOSTS) or the API's own.
import { z } from "zod";
import { ProviderError } from "../errors.ts";
import { joinUrl, providerJson } from "../http.ts";
import { type MediaHosts, mediaHosts } from "../media-hosts.ts";
import type { CallContext, ProbeResult, ProviderConfig } from "../types.ts";
import { findClipAmong } from "./choose.ts";
import { stockVideoMaxBytes } from "./download.ts";
import type { ClipCandidate, ClipFile, ClipWanted, FoundClip } from "./types.ts";

export type { ClipWanted, FoundClip } from "./types.ts";

const PROVIDER = "pexels-video";
const DEFAULT_BASE_URL = "https://api.pexels.com";
const PER_PAGE = 15;

const fileSchema = z.object({
  file_type: z.string().nullish(),
  width: z.number().nullish(),
  height: z.number().nullish(),
  link: z.string(),
  size: z.number().nullish(),
});
const videoSchema = z.object({
  id: z.number(),
  width: z.number(),
  height: z.number(),
  duration: z.number(),
  url: z.string().default(""),
  image: z.string().nullish(),
  user: z.object({ name: z.string().nullish() }).nullish(),
  video_files: z.array(z.unknown()),
});
const searchSchema = z.object({ videos: z.array(z.unknown()), total_results: z.number().optional() });

function headers(config: ProviderConfig) {
  if (!config.apiKey) throw new ProviderError(PROVIDER, "config", "no API key is set");
  return { authorization: config.apiKey };
}

/** The words of a Pexels page URL's slug: https://www.pexels.com/video/a-woman-walking-on-the-beach-3571264/
 *  gives a, woman, walking, on, the, beach. */
export function slugWords(pageUrl: string) {
  let last: string;
  try {
    last = decodeURIComponent(new URL(pageUrl).pathname.split("/").filter(Boolean).at(-1) ?? "");
  } catch {
    return [];
  }
  const words = last.toLowerCase().split("-").filter(Boolean);
  if (words.length && /^\d+$/.test(words.at(-1)!)) words.pop();
  return words;
}

/** Pexels' `size` filter is a minimum: large is 4K, medium Full HD, small HD. */
function sizeFilter(wanted: Pick<ClipWanted, "width" | "height">) {
  const side = Math.min(wanted.width, wanted.height);
  return side > 1080 ? "large" : side > 720 ? "medium" : "small";
}

function candidateOf(raw: unknown, previews: MediaHosts): ClipCandidate | null {
  const parsed = videoSchema.safeParse(raw);
  if (!parsed.success) return null;
  const video = parsed.data;
  const files: ClipFile[] = [];
  for (const f of video.video_files) {
    const file = fileSchema.safeParse(f);
    if (!file.success || !file.data.width || !file.data.height) continue;
    // HLS playlists and other non-video entries are left out.
    if (file.data.file_type && !file.data.file_type.startsWith("video/")) continue;
    files.push({
      url: file.data.link,
      width: file.data.width,
      height: file.data.height,
      mime: file.data.file_type ?? undefined,
      bytes: file.data.size ?? undefined,
    });
  }
  return {
    sourceId: `${PROVIDER}:${video.id}`,
    durationSec: video.duration,
    width: video.width,
    height: video.height,
    files,
    credit: `Video by ${video.user?.name || "unknown"} on Pexels`,
    sourceUrl: video.url,
    words: slugWords(video.url),
    ...(video.image && previews.allows(video.image) ? { previewUrl: video.image } : {}),
  };
}

/** The clips a search finds, in Pexels' order, for one orientation and output size. */
export async function searchPexelsVideos(config: ProviderConfig, wanted: Pick<ClipWanted, "query" | "orientation" | "width" | "height">, ctx: CallContext) {
  const base = config.baseUrl ?? DEFAULT_BASE_URL;
  const params = new URLSearchParams({
    query: wanted.query.slice(0, 200),
    orientation: wanted.orientation,
    size: sizeFilter(wanted),
    per_page: String(PER_PAGE),
  });
  const json = await providerJson(PROVIDER, joinUrl(base, `/videos/search?${params}`), { method: "GET", headers: headers(config) }, ctx);
  const parsed = searchSchema.safeParse(json);
  if (!parsed.success) throw new ProviderError(PROVIDER, "malformed", "the search answer has no videos list");
  const previews = mediaHosts("PEXELS_IMAGE_HOSTS", base);
  const candidates = parsed.data.videos.map((v) => candidateOf(v, previews)).filter((c) => c !== null);
  if (parsed.data.videos.length && !candidates.length)
    throw new ProviderError(PROVIDER, "malformed", "no video in the search answer has the fields Pexels documents");
  return candidates;
}

export async function findPexelsVideo(config: ProviderConfig, wanted: ClipWanted, ctx: CallContext): Promise<FoundClip> {
  const candidates = await searchPexelsVideos(config, wanted, ctx);
  const base = config.baseUrl ?? DEFAULT_BASE_URL;
  return findClipAmong(PROVIDER, candidates, wanted, { hosts: mediaHosts("PEXELS_VIDEO_HOSTS", base), maxBytes: stockVideoMaxBytes() }, ctx);
}

export async function probePexelsVideo(config: ProviderConfig, ctx: CallContext): Promise<ProbeResult> {
  const json = await providerJson(
    PROVIDER,
    joinUrl(config.baseUrl ?? DEFAULT_BASE_URL, "/videos/search?query=nature&per_page=1"),
    { method: "GET", headers: headers(config) },
    ctx,
  );
  const parsed = searchSchema.safeParse(json);
  if (!parsed.success) throw new ProviderError(PROVIDER, "malformed", "the search answer has no videos list");
  return { detail: `video search works (${parsed.data.total_results ?? "some"} results for "nature")` };
}
