// Pixabay stock videos: a search (GET /api/videos/ with the key as a query parameter, safe
// search on), then the chosen file of the chosen clip from Pixabay's CDN (PIXABAY_VIDEO_HOSTS)
// or the API's own host. Pixabay answers errors as one line of text ("[ERROR 400] …"), and a
// 429 with X-RateLimit-Reset (seconds) instead of Retry-After.
import { z } from "zod";
import { ProviderError } from "../errors.ts";
import { joinUrl, providerJson } from "../http.ts";
import { type MediaHosts, mediaHosts } from "../media-hosts.ts";
import type { CallContext, ProbeResult, ProviderConfig } from "../types.ts";
import { findClipAmong } from "./choose.ts";
import { stockVideoMaxBytes } from "./download.ts";
import type { ClipCandidate, ClipFile, ClipWanted, FoundClip } from "./types.ts";

export type { ClipWanted, FoundClip } from "./types.ts";

const PROVIDER = "pixabay-video";
const DEFAULT_BASE_URL = "https://pixabay.com";
/** Pixabay takes 3 to 200. */
const PER_PAGE = 20;
/** Pixabay refuses a longer `q`. */
const MAX_QUERY = 100;
const SIZES = ["large", "medium", "small", "tiny"] as const;

const fileSchema = z.object({ url: z.string(), width: z.number(), height: z.number(), size: z.number().optional(), thumbnail: z.string().optional() });
const hitSchema = z.object({
  id: z.number(),
  pageURL: z.string().default(""),
  tags: z.string().default(""),
  duration: z.number(),
  user: z.string().default(""),
  videos: z.record(z.string(), z.unknown()),
});
const searchSchema = z.object({ hits: z.array(z.unknown()), totalHits: z.number().optional() });

function keyOf(config: ProviderConfig) {
  if (!config.apiKey) throw new ProviderError(PROVIDER, "config", "no API key is set");
  return config.apiKey;
}

/** Pixabay's tags ("sea, ocean waves, beach") as single words. */
export function tagWords(tags: string) {
  return [
    ...new Set(
      tags
        .toLowerCase()
        .split(/[,\s]+/)
        .filter(Boolean),
    ),
  ];
}

function candidateOf(raw: unknown, previews: MediaHosts): ClipCandidate | null {
  const parsed = hitSchema.safeParse(raw);
  if (!parsed.success) return null;
  const hit = parsed.data;
  const files: ClipFile[] = [];
  for (const size of SIZES) {
    const file = fileSchema.safeParse(hit.videos[size]);
    // Pixabay lists a size it does not have with an empty URL and 0×0.
    if (!file.success || !file.data.url || !file.data.width || !file.data.height) continue;
    files.push({ url: file.data.url, width: file.data.width, height: file.data.height, bytes: file.data.size });
  }
  if (!files.length) return null;
  // A still of the clip for people choosing among clips: the medium size's, else any.
  const preview = SIZES.map((size) => fileSchema.safeParse(hit.videos[size]).data?.thumbnail).find((t) => t && previews.allows(t));
  const largest = files.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  return {
    sourceId: `${PROVIDER}:${hit.id}`,
    durationSec: hit.duration,
    width: largest.width,
    height: largest.height,
    files,
    credit: `Video by ${hit.user || "unknown"} on Pixabay`,
    sourceUrl: hit.pageURL,
    words: tagWords(hit.tags),
    ...(preview ? { previewUrl: preview } : {}),
  };
}

/** A search; Pixabay refuses a bad key with a 400 whose text says so, made an auth error here. */
async function search(config: ProviderConfig, params: Record<string, string>, ctx: CallContext) {
  const base = config.baseUrl ?? DEFAULT_BASE_URL;
  // The key travels in the URL: a base that is no URL is refused here, before an error could quote it.
  if (!URL.canParse(base)) throw new ProviderError(PROVIDER, "config", `"${base.slice(0, 100)}" is not a URL`);
  const query = new URLSearchParams({ key: keyOf(config), ...params });
  try {
    const json = await providerJson(
      PROVIDER,
      joinUrl(base, `/api/videos/?${query}`),
      { method: "GET" },
      {
        ...ctx,
        rateLimitResetHeader: "x-ratelimit-reset",
      },
    );
    const parsed = searchSchema.safeParse(json);
    if (!parsed.success) throw new ProviderError(PROVIDER, "malformed", "the search answer has no hits list");
    return parsed.data;
  } catch (error) {
    if (error instanceof ProviderError && error.status === 400 && /api key/i.test(error.reason)) {
      throw new ProviderError(PROVIDER, "auth", error.reason.replace("request refused", "the API key was refused"), error.options);
    }
    throw error;
  }
}

/** The clips a search finds, in Pixabay's order (safe search on). */
export async function searchPixabayVideos(config: ProviderConfig, wanted: Pick<ClipWanted, "query">, ctx: CallContext) {
  const answer = await search(config, { q: wanted.query.slice(0, MAX_QUERY), per_page: String(PER_PAGE), safesearch: "true" }, ctx);
  const hosts = mediaHosts("PIXABAY_VIDEO_HOSTS", config.baseUrl ?? DEFAULT_BASE_URL);
  const candidates = answer.hits.map((h) => candidateOf(h, hosts)).filter((c) => c !== null);
  if (answer.hits.length && !candidates.length) throw new ProviderError(PROVIDER, "malformed", "no hit in the search answer has the fields Pixabay documents");
  return candidates;
}

export async function findPixabayVideo(config: ProviderConfig, wanted: ClipWanted, ctx: CallContext): Promise<FoundClip> {
  const candidates = await searchPixabayVideos(config, wanted, ctx);
  const hosts = mediaHosts("PIXABAY_VIDEO_HOSTS", config.baseUrl ?? DEFAULT_BASE_URL);
  return findClipAmong(PROVIDER, candidates, wanted, { hosts, maxBytes: stockVideoMaxBytes() }, ctx);
}

export async function probePixabayVideo(config: ProviderConfig, ctx: CallContext): Promise<ProbeResult> {
  const answer = await search(config, { q: "nature", per_page: "3" }, ctx);
  return { detail: `video search works (${answer.totalHits ?? "some"} results for "nature")` };
}
