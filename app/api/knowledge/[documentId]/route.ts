// Downloads a reference document as it was uploaded; another workspace's document is a 404.
import { handleErrors } from "@/server/api/error-response";
import { getRouteContext } from "@/server/api/route-context";
import { assertPermission } from "@/server/auth/permissions";
import { getDocumentFileOrThrow } from "@/server/knowledge/service";
import { mediaResponse } from "@/server/videos/media";

export const dynamic = "force-dynamic";

export const GET = handleErrors(
  "knowledge download failed",
  async (request: Request, { params }: { params: Promise<{ documentId: string }> }) => {
    const ctx = await getRouteContext();
    assertPermission(ctx.role, "knowledge.view", "download documents");
    const file = await getDocumentFileOrThrow(ctx, (await params).documentId);
    return mediaResponse(file, request, { download: file.name });
  },
  { plainNotFound: true },
);
