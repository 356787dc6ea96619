// Stock clips a person may choose for a shot: each stock video provider the workspace uses is
// searched with the shot's query (in the video's orientation), and its results come back as
// stills with their length and credit. Nothing is downloaded until the chosen one is used.
import { z } from "zod";
import { buildChain, runChain } from "../providers/chain.ts";
import { searchPexelsVideos } from "../providers/videos/pexels.ts";
import { searchPixabayVideos } from "../providers/videos/pixabay.ts";
import type { ClipCandidate, ClipOrientation } from "../providers/videos/types.ts";
import type { WorkspaceContext } from "../lib/service-context.ts";
import { orientationOf } from "../pipeline/visuals/draw.ts";
import { STOCK_PICK_PROVIDERS } from "../pipeline/script/types.ts";
import { textField } from "../text/policy.ts";
import { briefFields, videoSize } from "./brief.ts";
import { getVideoOrThrow } from "./service.ts";

export const shotCandidatesSchema = z.object({ videoId: z.string().min(1), query: textField("Shot query", { min: 1, max: 200 }) });

/** At most this many results of each provider are shown. */
const SHOWN = 12;

const view = (provider: (typeof STOCK_PICK_PROVIDERS)[number], c: ClipCandidate) => ({
  provider,
  sourceId: c.sourceId,
  previewUrl: c.previewUrl ?? null,
  durationSec: c.durationSec,
  width: c.width,
  height: c.height,
  credit: c.credit,
  sourceUrl: c.sourceUrl,
  words: c.words.slice(0, 12),
});

export async function shotCandidates(ctx: WorkspaceContext, input: z.input<typeof shotCandidatesSchema>, signal?: AbortSignal) {
  const { videoId, query } = shotCandidatesSchema.parse(input);
  const video = await getVideoOrThrow(ctx, videoId);
  const brief = briefFields.pick({ aspectRatio: true, resolution: true }).parse(video.brief);
  const { width, height } = videoSize(brief);
  const wanted = { query, orientation: orientationOf(brief.aspectRatio) as ClipOrientation, width, height };
  const { links } = await buildChain(ctx.db, ctx.workspaceId, "visuals");
  const stock = links.filter((l) => (STOCK_PICK_PROVIDERS as readonly string[]).includes(l.config.provider));
  const providers = await Promise.all(
    stock.map(async (link) => {
      const provider = link.config.provider as (typeof STOCK_PICK_PROVIDERS)[number];
      const search = provider === "pexels-video" ? searchPexelsVideos : searchPixabayVideos;
      try {
        const found = await runChain([link], [], (config, c) => search(config, wanted, c), { signal });
        return { provider, candidates: found.value.slice(0, SHOWN).map((c) => view(provider, c)), error: null };
      } catch (error) {
        return { provider, candidates: [], error: (error as Error).message };
      }
    }),
  );
  return { query, providers };
}
