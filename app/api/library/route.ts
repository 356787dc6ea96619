// Adds a file to the active workspace's media library: the file is the request body (sent as
// is, any Content-Type) and its name the `name` query parameter (its extension says the kind:
// a picture, a video clip or audio). Members who may add media (editors and up). Listing,
// renaming, tagging and deleting are tRPC (library.*).
import { handleErrors } from "@/server/api/error-response";
import { getRouteContext } from "@/server/api/route-context";
import { assertPermission } from "@/server/auth/permissions";
import { declaredLength } from "@/server/lib/capped-stream";
import { addMediaItem } from "@/server/library/service";

export const dynamic = "force-dynamic";

export const POST = handleErrors(
  "media library upload failed",
  async (request: Request) => {
    const ctx = await getRouteContext();
    assertPermission(ctx.role, "library.upload", "add media");
    const name = new URL(request.url).searchParams.get("name") ?? "";
    // request.signal aborts when the client goes away: the upload and its checks stop.
    const item = await addMediaItem(ctx, { name, body: request.body, declaredBytes: declaredLength(request) }, request.signal);
    return Response.json({ item }, { status: 201 });
  },
  { plainNotFound: true },
);
