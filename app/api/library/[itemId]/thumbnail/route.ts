// A media library item's thumbnail (a small JPEG), for members of its workspace only.
import { handleErrors } from "@/server/api/error-response";
import { getRouteContext } from "@/server/api/route-context";
import { assertPermission } from "@/server/auth/permissions";
import { getMediaFileOrThrow } from "@/server/library/service";
import { mediaResponse } from "@/server/videos/media";

export const dynamic = "force-dynamic";

const handle = handleErrors(
  "media library thumbnail request failed",
  async (request: Request, { params }: { params: Promise<{ itemId: string }> }) => {
    const ctx = await getRouteContext();
    assertPermission(ctx.role, "library.view", "see media");
    return mediaResponse(await getMediaFileOrThrow(ctx, (await params).itemId, "thumbnail"), request);
  },
  { plainNotFound: true },
);

export { handle as GET, handle as HEAD };
