// Media of the signed-in user's workspace only: another workspace's asset is a 404.
import { auth } from "@/server/auth/config";
import { getRequestMembership } from "@/server/auth/session";
import { getDb } from "@/server/db/client";
import { extensionFor, mediaResponse } from "@/server/videos/media";


export const dynamic = "force-dynamic";

async function handle(request: Request, { params }: { params: Promise<{ assetId: string }> }) {
  const session = await auth();
  if (!session?.user?.id) return Response.json({ error: "Please sign in" }, { status: 401 });
  const { assetId } = await params;
  const db = getDb();
  const membership = await getRequestMembership(db, session.user.id);
  const asset = membership ? await db.asset.findFirst({ where: { id: assetId, workspaceId: membership.workspaceId } }) : null;
  if (!asset) return Response.json({ error: "Not found" }, { status: 404 });
  const wantsDownload = new URL(request.url).searchParams.get("download") === "1";
  const video = wantsDownload && asset.videoId ? await db.video.findUnique({ where: { id: asset.videoId }, select: { title: true } }) : null;
  const extension = extensionFor(asset.mimeType);
  return mediaResponse(asset, request, { download: wantsDownload ? `${video?.title ?? "aura-video"}${extension}` : null });
}

export { handle as GET, handle as HEAD };
