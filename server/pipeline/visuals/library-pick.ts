// A shot a person gave an item of the workspace's media library: the item is copied into the
// video's own storage (deleting it from the library later cannot break the video) and shown
// instead of what the providers would find. An item gone since it was chosen falls back to
// the providers, saying so.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../../db/client.ts";
import { extractKeywords } from "../../text/keywords.ts";
import { getStore } from "../../storage/store.ts";
import type { ChainOutcome } from "../../providers/chain.ts";
import type { ScriptShot } from "../script/types.ts";
import type { ShotVisual } from "./draw.ts";

export const LIBRARY_PROVIDER = "library";

/** The picked item as the shot's visual, or the reason it cannot be used. */
export async function libraryVisual(
  db: Db,
  workspaceId: string,
  shot: ScriptShot,
  dir: string,
): Promise<ChainOutcome<ShotVisual> | { fallback: string } | null> {
  if (!shot.pick) return null;
  const started = performance.now();
  const item = await db.mediaItem.findFirst({ where: { id: shot.pick.itemId, workspaceId, kind: { in: ["image", "video"] } } });
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
