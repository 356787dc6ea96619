// Pexels stock photos: a search by the scene's keywords, then the photo itself. The photo URL
// comes from Pexels' answer, so it is fetched only when its host is Pexels' image host
// (PEXELS_IMAGE_HOSTS) or the API's own host, and through the same guarded fetch.
import { z } from "zod";
import { ProviderError } from "../errors.ts";
import { joinUrl, providerFetch, providerJson, readBody } from "../http.ts";
import { mediaHosts } from "../media-hosts.ts";
import type { CallContext, ProbeResult, ProviderConfig } from "../types.ts";
import { checkImage, IMAGE_LIMITS } from "./validate.ts";

const DEFAULT_BASE_URL = "https://api.pexels.com";
const photoSchema = z.object({
  id: z.number(),
  photographer: z.string().default(""),
  url: z.string().default(""),
  src: z.object({ large2x: z.string(), original: z.string().optional() }),
});
const searchSchema = z.object({ photos: z.array(z.unknown()) });

function headers(config: ProviderConfig) {
  if (!config.apiKey) throw new ProviderError("pexels", "config", "no API key is set");
  return { authorization: config.apiKey };
}

export async function findPexelsPhoto(config: ProviderConfig, query: string, orientation: "landscape" | "portrait" | "square", ctx: CallContext, take = 0) {
  const params = new URLSearchParams({ query: query.slice(0, 200), orientation, per_page: "5", size: "large" });
  const json = await providerJson(
    "pexels",
    joinUrl(config.baseUrl ?? DEFAULT_BASE_URL, `/v1/search?${params}`),
    { method: "GET", headers: headers(config) },
    ctx,
  );
  const parsed = searchSchema.safeParse(json);
  if (!parsed.success) throw new ProviderError("pexels", "malformed", "the search answer has no photos list");
  const photos = parsed.data.photos
    .map((p) => photoSchema.safeParse(p))
    .filter((p) => p.success)
    .map((p) => p.data);
  if (!photos.length) throw new ProviderError("pexels", "not_found", `no photo found for "${query.slice(0, 60)}"`);
  const hosts = mediaHosts("PEXELS_IMAGE_HOSTS", config.baseUrl ?? DEFAULT_BASE_URL);
  // Another take of the same search is the next usable photo (round the list).
  const usable = photos.filter((p) => hosts.allows(p.src.large2x));
  const photo = usable[take % Math.max(usable.length, 1)];
  if (!photo) throw new ProviderError("pexels", "malformed", "the photo URLs point to a host that is not Pexels' image host");
  const response = await providerFetch("pexels", photo.src.large2x, { method: "GET" }, ctx);
  const image = checkImage("pexels", await readBody("pexels", response, IMAGE_LIMITS.maxBytes));
  return { ...image, credit: `Photo by ${photo.photographer || "unknown"} on Pexels`, sourceUrl: photo.url };
}

export async function probePexels(config: ProviderConfig, ctx: CallContext): Promise<ProbeResult> {
  const json = (await providerJson(
    "pexels",
    joinUrl(config.baseUrl ?? DEFAULT_BASE_URL, "/v1/search?query=nature&per_page=1"),
    { method: "GET", headers: headers(config) },
    ctx,
  )) as {
    total_results?: unknown;
  };
  return { detail: `search works (${typeof json.total_results === "number" ? json.total_results : "some"} results for "nature")` };
}
