// No stock clip twice in one video: a shot claims a clip by the provider's id for it before
// downloading; the claim is a row keyed by (video, clip), so two shots searching at once
// cannot both take it. A shot that runs again (a retry, a resumed step) takes its own claims
// back; a scene whose visuals are made again gives up the claims it no longer uses. A clip
// found unusable is held by no shot, so the video never tries it again.
import type { Db } from "../../db/client.ts";

export type ShotClaims = { claim: (sourceId: string) => Promise<boolean>; release: (sourceId: string) => Promise<void> };

/** The holder of a clip that turned out unusable. */
const UNUSABLE = "unusable";

export const shotKeyOf = (sceneId: string, shot: number) => `${sceneId}#${shot}`;

export function shotClaims(db: Db, videoId: string, shotKey: string): ShotClaims {
  return {
    async claim(sourceId) {
      const taken = await db.shotClaim.createMany({ data: [{ videoId, sourceId, shotKey }], skipDuplicates: true });
      if (taken.count === 1) return true;
      const holder = await db.shotClaim.findUnique({ where: { videoId_sourceId: { videoId, sourceId } }, select: { shotKey: true } });
      return holder?.shotKey === shotKey;
    },
    // A clip given back turned out unusable (corrupt, cut short, the wrong type): it stays
    // claimed, by no shot, so that neither a retry nor another shot downloads it again.
    async release(sourceId) {
      await db.shotClaim.updateMany({ where: { videoId, sourceId, shotKey }, data: { shotKey: UNUSABLE } });
    },
  };
}

/** Gives up a scene's claims except those its shots now use (`keep`, by shot key). */
export async function releaseSceneClaims(db: Db, videoId: string, sceneId: string, keep: { shotKey: string; sourceId: string }[]) {
  const mine = await db.shotClaim.findMany({ where: { videoId, shotKey: { startsWith: `${sceneId}#` } }, select: { shotKey: true, sourceId: true } });
  const stale = mine.filter((c) => !keep.some((k) => k.shotKey === c.shotKey && k.sourceId === c.sourceId));
  if (stale.length) await db.shotClaim.deleteMany({ where: { videoId, OR: stale.map((c) => ({ sourceId: c.sourceId, shotKey: c.shotKey })) } });
}

/** Another take of a shot: the first `take` clips it would get are passed over (refused as if
 *  taken), so the search gives the next one in its ranking. */
export function takeClaims(claims: ShotClaims, take: number): ShotClaims {
  const passed = new Set<string>();
  return {
    async claim(sourceId) {
      if (passed.has(sourceId)) return false;
      if (passed.size < take) {
        passed.add(sourceId);
        return false;
      }
      return claims.claim(sourceId);
    },
    release: claims.release,
  };
}
