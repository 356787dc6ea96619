// Media of the signed-in user's workspace only: another workspace's asset is a 404.
import { handleErrors } from "@/server/api/error-response";
import { getRouteContext } from "@/server/api/route-context";
import { extensionFor, mediaResponse } from "@/server/videos/media";
import { getAssetOrThrow, getVideoTitle } from "@/server/videos/service";

export const dynamic = "force-dynamic";

const handle = handleErrors(
  "media request failed",
  async (request: Request, { params }: { params: Promise<{ assetId: string }> }) => {
    const ctx = await getRouteContext();
    const { assetId } = await params;
    const asset = await getAssetOrThrow(ctx, assetId);
    const wantsDownload = new URL(request.url).searchParams.get("download") === "1";
    const title = wantsDownload && asset.videoId ? await getVideoTitle(ctx, asset.videoId) : null;
    const extension = extensionFor(asset.mimeType);
    return mediaResponse(asset, request, { download: wantsDownload ? `${title ?? "aura-video"}${extension}` : null });
  },
  { plainNotFound: true },
);

export { handle as GET, handle as HEAD };
