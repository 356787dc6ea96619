// A media library item's file as it was uploaded, with Range for playing and seeking; for
// members of its workspace only (another workspace's item is a 404). ?download=1 saves it.
import { handleErrors } from "@/server/api/error-response";
import { getRouteContext } from "@/server/api/route-context";
import { assertPermission } from "@/server/auth/permissions";
import { getMediaFileOrThrow } from "@/server/library/service";
import { mediaResponse } from "@/server/videos/media";

export const dynamic = "force-dynamic";

const handle = handleErrors(
  "media library file request failed",
  async (request: Request, { params }: { params: Promise<{ itemId: string }> }) => {
    const ctx = await getRouteContext();
    assertPermission(ctx.role, "library.view", "see media");
    const file = await getMediaFileOrThrow(ctx, (await params).itemId, "original");
    const download = new URL(request.url).searchParams.get("download") === "1" ? file.name : null;
    return mediaResponse(file, request, { download });
  },
  { plainNotFound: true },
);

export { handle as GET, handle as HEAD };
