// The media of a shared video, for its public watch page: the video, its poster and its
// captions. Only through a valid token; a revoked or expired link is a 404.
import { getDb } from "@/server/db/client";
import { resolveShareToken } from "@/server/sharing/service";
import { mediaResponse, sidecarKey } from "@/server/videos/media";

export const dynamic = "force-dynamic";

async function handle(request: Request, { params }: { params: Promise<{ token: string; kind: string }> }) {
  const { token, kind } = await params;
  const db = getDb();
  const link = await resolveShareToken(db, token);
  if (!link) return Response.json({ error: "Not found" }, { status: 404 });
  const assetId = kind === "video" ? link.video.outputAssetId : kind === "poster" ? link.video.thumbnailAssetId : null;
  let asset = assetId ? await db.asset.findFirst({ where: { id: assetId, workspaceId: link.workspaceId } }) : null;
  if (kind === "captions.vtt" && link.video.outputAssetId) {
    const output = await db.asset.findUnique({ where: { id: link.video.outputAssetId }, select: { storageKey: true } });
    asset = output ? await db.asset.findFirst({ where: { workspaceId: link.workspaceId, kind: "captions", storageKey: sidecarKey(output.storageKey, ".vtt") } }) : null;
  }
  if (!asset) return Response.json({ error: "Not found" }, { status: 404 });
  const response = await mediaResponse(asset, request);
  response.headers.set("cache-control", "private, no-store");
  return response;
}

export { handle as GET, handle as HEAD };
