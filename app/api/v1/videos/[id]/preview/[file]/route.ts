// The REST API's growing preview of a video's render: GET /api/v1/videos/{id}/preview/index.m3u8
// (an HLS event playlist whose files are fetched beside it, with the same key), status.json, and
// the playlist's media files. The key's workspace only: another's video is a 404.
import { apiRoute } from "@/server/api/rest/handler";
import { previewFileResponse } from "@/server/pipeline/render/preview";

export const dynamic = "force-dynamic";

const handle = apiRoute<{ id: string; file: string }>("video.view", (ctx, { id, file }) => previewFileResponse(ctx, id, file, ctx.request));

export { handle as GET, handle as HEAD };
