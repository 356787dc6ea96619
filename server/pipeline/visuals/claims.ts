// No stock clip twice in one video: a shot claims a clip by the provider's id for it before
// downloading; the claim is a row keyed by (video, clip), so two shots searching at once
// cannot both take it. A shot that runs again (a retry, a resumed step) takes its own claims
// back; a scene whose visuals are made again first gives up its claims (its shots may have
// moved: one was removed or added), then its shots claim again in order. A clip found
// unusable is held by no shot, so the video never tries it again.
import type { Db } from "../../db/client.ts";

export type ShotClaims = {
  claim: (sourceId: string) => Promise<boolean>;
  release: (sourceId: string, unusable: boolean) => Promise<void>;
  /** Whether the clip is free or already this shot's (without claiming it). */
  available: (sourceId: string) => Promise<boolean>;
};

/** The holder of a clip that turned out unusable. */
const UNUSABLE = "unusable";

export const shotKeyOf = (sceneId: string, shot: number) => `${sceneId}#${shot}`;

export function shotClaims(db: Db, videoId: string, shotKey: string): ShotClaims {
  const holderOf = async (sourceId: string) =>
    (await db.shotClaim.findUnique({ where: { videoId_sourceId: { videoId, sourceId } }, select: { shotKey: true } }))?.shotKey ?? null;
  return {
    async claim(sourceId) {
      const taken = await db.shotClaim.createMany({ data: [{ videoId, sourceId, shotKey }], skipDuplicates: true });
      return taken.count === 1 || (await holderOf(sourceId)) === shotKey;
    },
    // A clip found bad (corrupt, the wrong type) stays claimed, by no shot, so that neither a
    // retry nor another shot downloads it again; one that could not be had for now (a timeout,
    // a dropped download, a cancelled job) is simply given back.
    async release(sourceId, unusable) {
      if (unusable) await db.shotClaim.updateMany({ where: { videoId, sourceId, shotKey }, data: { shotKey: UNUSABLE } });
      else await db.shotClaim.deleteMany({ where: { videoId, sourceId, shotKey } });
    },
    async available(sourceId) {
      const holder = await holderOf(sourceId);
      return holder === null || holder === shotKey;
    },
  };
}

/** Gives up a scene's claims except those its shots now use (`keep`, by shot key). */
export async function releaseSceneClaims(db: Db, videoId: string, sceneId: string, keep: { shotKey: string; sourceId: string }[]) {
  const mine = await db.shotClaim.findMany({ where: { videoId, shotKey: { startsWith: `${sceneId}#` } }, select: { shotKey: true, sourceId: true } });
  const stale = mine.filter((c) => !keep.some((k) => k.shotKey === c.shotKey && k.sourceId === c.sourceId));
  if (stale.length) await db.shotClaim.deleteMany({ where: { videoId, OR: stale.map((c) => ({ sourceId: c.sourceId, shotKey: c.shotKey })) } });
}

/** Another take of a shot: the first `take` clips it could get are passed over (refused as if
 *  taken), so the search gives the next one in its ranking. Clips it could not get anyway
 *  (another shot's, or unusable) do not count. */
export function takeClaims(claims: ShotClaims, take: number): ShotClaims {
  const passed = new Set<string>();
  return {
    ...claims,
    async claim(sourceId) {
      if (passed.has(sourceId)) return false;
      if (passed.size < take) {
        if (await claims.available(sourceId)) passed.add(sourceId);
        return false;
      }
      return claims.claim(sourceId);
    },
  };
}
