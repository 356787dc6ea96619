// A voice sample of the signed-in user's workspace (server/videos/samples.ts), for the brief
// form's player: the id names a sample only within the caller's own workspace, so another
// workspace's sample, or any other id, is a 404.
import { handleErrors } from "@/server/api/error-response";
import { getRouteContext } from "@/server/api/route-context";
import { NotFoundError } from "@/server/lib/errors";
import { mediaResponse } from "@/server/videos/media";
import { voiceSampleKey } from "@/server/videos/samples";

export const dynamic = "force-dynamic";

const handle = handleErrors(
  "voice sample request failed",
  async (request: Request, { params }: { params: Promise<{ sampleId: string }> }) => {
    const ctx = await getRouteContext();
    const key = voiceSampleKey(ctx.workspaceId, (await params).sampleId);
    if (!key) throw new NotFoundError("voice sample");
    return mediaResponse({ storageKey: key, mimeType: "audio/wav" }, request);
  },
  { plainNotFound: true },
);

export { handle as GET, handle as HEAD };
