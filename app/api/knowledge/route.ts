// Uploads a reference document (text, Markdown or PDF) to the active workspace's knowledge.
// Multipart form with one "file" field; editors and up. Listing, search and removal are tRPC.
import { handleErrors } from "@/server/api/error-response";
import { getRouteContext } from "@/server/api/route-context";
import { assertPermission } from "@/server/auth/permissions";
import { addDocument, DocumentError } from "@/server/knowledge/service";
import { readUploadedFile } from "@/server/knowledge/upload";
import { BadRequestError } from "@/server/lib/errors";

export const dynamic = "force-dynamic";

export const POST = handleErrors(
  "knowledge upload failed",
  async (request: Request) => {
    const ctx = await getRouteContext();
    assertPermission(ctx.role, "knowledge.manage", "add documents");
    const file = await readUploadedFile(request);
    // request.signal aborts when the client goes away: a PDF still being read is stopped.
    const document = await addDocument(ctx, { name: file.name, bytes: Buffer.from(await file.arrayBuffer()) }, request.signal).catch((error: unknown) => {
      // Nobody is left to read the answer, and a client that went away is no failure of ours to log.
      if (request.signal.aborted) throw new BadRequestError("file: the upload was cancelled");
      throw error instanceof DocumentError ? new BadRequestError(`file: ${error.message}`) : error;
    });
    return Response.json({ document }, { status: 201 });
  },
  { plainNotFound: true },
);
