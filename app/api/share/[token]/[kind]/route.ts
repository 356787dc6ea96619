// The media of a shared video, for its public watch page: the video, its poster and its
// captions. Only through a valid token; a revoked or expired link is a 404.
import { handleErrors } from "@/server/api/error-response";
import { getUnscopedContext } from "@/server/api/route-context";
import { NotFoundError } from "@/server/lib/errors";
import { getSharedMedia } from "@/server/sharing/service";
import { mediaResponse } from "@/server/videos/media";

export const dynamic = "force-dynamic";

const handle = handleErrors(
  "shared media request failed",
  async (request: Request, { params }: { params: Promise<{ token: string; kind: string }> }) => {
    const { token, kind } = await params;
    const asset = await getSharedMedia(getUnscopedContext(), token, kind);
    if (!asset) throw new NotFoundError("shared media");
    const response = await mediaResponse(asset, request);
    response.headers.set("cache-control", "private, no-store");
    return response;
  },
  { plainNotFound: true },
);

export { handle as GET, handle as HEAD };
