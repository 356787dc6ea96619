// The media of a shared video, for its public watch page: the video, its poster and its
// captions. Only through a valid token; a revoked or expired link is a 404.
import { handleErrors } from "@/server/api/error-response";
import { getDb } from "@/server/db/client";
import { NotFoundError } from "@/server/lib/errors";
import { resolveShareToken } from "@/server/sharing/service";
import { mediaResponse, sidecarKey } from "@/server/videos/media";

export const dynamic = "force-dynamic";

const handle = handleErrors(
  "shared media request failed",
  async (request: Request, { params }: { params: Promise<{ token: string; kind: string }> }) => {
    const { token, kind } = await params;
    const db = getDb();
    const link = await resolveShareToken({ db }, token);
    if (!link) throw new NotFoundError("share link");
    const assetId = kind === "video" ? link.video.outputAssetId : kind === "poster" ? link.video.thumbnailAssetId : null;
    let asset = assetId ? await db.asset.findFirst({ where: { id: assetId, workspaceId: link.workspaceId } }) : null;
    if (kind === "captions.vtt" && link.video.outputAssetId) {
      const output = await db.asset.findUnique({ where: { id: link.video.outputAssetId }, select: { storageKey: true } });
      asset = output ? await db.asset.findFirst({ where: { workspaceId: link.workspaceId, kind: "captions", storageKey: sidecarKey(output.storageKey, ".vtt") } }) : null;
    }
    if (!asset) throw new NotFoundError("media");
    const response = await mediaResponse(asset, request);
    response.headers.set("cache-control", "private, no-store");
    return response;
  },
  { plainNotFound: true },
);

export { handle as GET, handle as HEAD };
