// A shot whose picture a person chose. An item of the workspace's media library is copied into
// the video's own storage (deleting it from the library later cannot break the video); a stock
// clip chosen among a provider's search results for the shot's query is fetched from that
// provider, searching the same query and taking only that clip. Either one that cannot be had
// any more (the item deleted, the provider removed, the clip gone) falls back to the providers,
// saying why.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../../db/client.ts";
import { extractKeywords } from "../../text/keywords.ts";
import { getStore } from "../../storage/store.ts";
import { buildChain, type ChainOutcome, runChain } from "../../providers/chain.ts";
import { drawShot, type ShotRequest, type ShotVisual } from "./draw.ts";

export const LIBRARY_PROVIDER = "library";

type Picked = ChainOutcome<ShotVisual> | { fallback: string } | null;

/** The chosen picture or clip as the shot's visual, the reason it cannot be had, or null when
 *  nobody chose one. */
export async function pickedVisual(db: Db, workspaceId: string, request: ShotRequest, signal?: AbortSignal): Promise<Picked> {
  const { pick } = request.shot;
  if (!pick) return null;
  if (pick.kind === "library") return libraryVisual(db, workspaceId, pick.itemId, request.dir);
  const { links } = await buildChain(db, workspaceId, "visuals");
  const link = links.find((l) => l.config.provider === pick.provider);
  if (!link) return { fallback: `the clip chosen for this shot is from ${pick.provider}, which this workspace no longer uses` };
  let offered = false;
  const only = {
    claim: async (id: string) => {
      if (id !== pick.sourceId) return false;
      offered = true;
      return request.claims.claim(id);
    },
    release: request.claims.release,
    available: request.claims.available,
  };
  try {
    return await runChain([link], [], (config, ctx) => drawShot(config, { ...request, claims: only }, ctx), { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    const why = offered ? (error as Error).message : `it is no longer among ${pick.provider}'s results for "${request.shot.query.slice(0, 60)}"`;
    return { fallback: `the clip chosen for this shot (${pick.sourceId}) could not be had: ${why}` };
  }
}

async function libraryVisual(db: Db, workspaceId: string, itemId: string, dir: string): Promise<Picked> {
  const started = performance.now();
  const item = await db.mediaItem.findFirst({ where: { id: itemId, workspaceId, kind: { in: ["image", "video"] } } });
  if (!item) return { fallback: "the media library item chosen for this shot is no longer there" };
  const ext = path.extname(item.storageKey).replace(".", "") || (item.kind === "video" ? "mp4" : "png");
  const file = path.join(dir, `picked.${ext}`);
  await (await getStore()).download(item.storageKey, file);
  const words = [...new Set([...extractKeywords(item.name.replace(/\.[a-z0-9]+$/i, "").replace(/[_-]+/g, " "), 8), ...item.tags])];
  const credit = `From the media library: ${item.name}`;
  const visual: ShotVisual =
    item.kind === "video"
      ? {
          kind: "clip",
          clip: {
            file,
            mime: item.mimeType,
            ext,
            width: item.width ?? 0,
            height: item.height ?? 0,
            durationSec: item.durationSec ?? 0,
            fps: 0,
            hasAudio: item.hasAudio,
            codec: "",
            bytes: Number(item.bytes),
            sourceId: `library:${item.id}`,
            credit,
            sourceUrl: "",
            words,
          },
        }
      : { kind: "image", image: { bytes: await readFile(file), mime: item.mimeType, ext, width: item.width ?? 0, height: item.height ?? 0, credit }, words };
  const ms = Math.round(performance.now() - started);
  return { value: visual, provider: LIBRARY_PROVIDER, attempts: [{ provider: LIBRARY_PROVIDER, ok: true, ms }], fallbacks: [] };
}
