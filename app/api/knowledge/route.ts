// Uploads a reference document (text, Markdown or PDF) to the active workspace's knowledge.
// Multipart form with one "file" field; editors and up. Listing, search and removal are tRPC.
import { auth } from "@/server/auth/config";
import { can } from "@/server/auth/permissions";
import { getRequestMembership } from "@/server/auth/session";
import { getDb } from "@/server/db/client";
import { KNOWLEDGE_LIMITS } from "@/server/knowledge/extract";
import { addDocument, DocumentError } from "@/server/knowledge/service";
import { log } from "@/server/lib/log";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const session = await auth();
  if (!session?.user?.id) return Response.json({ error: "Please sign in" }, { status: 401 });
  const db = getDb();
  const membership = await getRequestMembership(db, session.user.id);
  if (!membership) return Response.json({ error: "Not found" }, { status: 404 });
  if (!can(membership.role, "knowledge.manage")) return Response.json({ error: `Your role (${membership.role}) may not add documents` }, { status: 403 });
  if (Number(request.headers.get("content-length") ?? 0) > KNOWLEDGE_LIMITS.maxBytes + 64 * 1024) {
    return Response.json({ error: `file: larger than ${KNOWLEDGE_LIMITS.maxBytes / 1024 / 1024} MB` }, { status: 413 });
  }
  let file: FormDataEntryValue | null;
  try {
    file = (await request.formData()).get("file");
  } catch {
    return Response.json({ error: "file: send the document as multipart/form-data in a field named file" }, { status: 400 });
  }
  if (!(file instanceof File)) return Response.json({ error: "file: no file was sent" }, { status: 400 });
  try {
    const document = await addDocument(db, membership.workspaceId, session.user.id, { name: file.name, bytes: Buffer.from(await file.arrayBuffer()) }, request.signal);
    return Response.json({ document }, { status: 201 });
  } catch (error) {
    if (error instanceof DocumentError) return Response.json({ error: `file: ${error.message}` }, { status: 400 });
    log.error("knowledge upload failed", { error: (error as Error).message });
    return Response.json({ error: "Something went wrong on our side. It has been logged." }, { status: 500 });
  }
}
