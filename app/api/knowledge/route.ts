// Uploads a reference document (text, Markdown or PDF) to the active workspace's knowledge.
// Multipart form with one "file" field; editors and up. Listing, search and removal are tRPC.
import { handleErrors } from "@/server/api/error-response";
import { getRouteContext } from "@/server/api/route-context";
import { assertPermission } from "@/server/auth/permissions";
import { KNOWLEDGE_LIMITS } from "@/server/knowledge/extract";
import { addDocument, DocumentError } from "@/server/knowledge/service";
import { AppError, BadRequestError } from "@/server/lib/errors";

export const dynamic = "force-dynamic";

export const POST = handleErrors(
  "knowledge upload failed",
  async (request: Request) => {
    const ctx = await getRouteContext();
    assertPermission(ctx.role, "knowledge.manage", "add documents");
    if (Number(request.headers.get("content-length") ?? 0) > KNOWLEDGE_LIMITS.maxBytes + 64 * 1024) {
      throw new AppError("PAYLOAD_TOO_LARGE", `file: larger than ${KNOWLEDGE_LIMITS.maxBytes / 1024 / 1024} MB`);
    }
    const file = await request.formData().then(
      (form) => form.get("file"),
      () => {
        throw new BadRequestError("file: send the document as multipart/form-data in a field named file");
      },
    );
    if (!(file instanceof File)) throw new BadRequestError("file: no file was sent");
    const document = await addDocument(ctx, { name: file.name, bytes: Buffer.from(await file.arrayBuffer()) }, request.signal).catch((error: unknown) => {
      throw error instanceof DocumentError ? new BadRequestError(`file: ${error.message}`) : error;
    });
    return Response.json({ document }, { status: 201 });
  },
  { plainNotFound: true },
);
