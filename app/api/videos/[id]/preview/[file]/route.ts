// The growing preview of a video's render (its HLS playlist, status and media files), for the
// signed-in members of the video's workspace only: another workspace's video is a 404.
import { handleErrors } from "@/server/api/error-response";
import { getRouteContext } from "@/server/api/route-context";
import { previewFileResponse } from "@/server/pipeline/render/preview";

export const dynamic = "force-dynamic";

const handle = handleErrors(
  "preview request failed",
  async (request: Request, { params }: { params: Promise<{ id: string; file: string }> }) => {
    const ctx = await getRouteContext();
    const { id, file } = await params;
    return previewFileResponse(ctx, id, file, request);
  },
  { plainNotFound: true },
);

export { handle as GET, handle as HEAD };
