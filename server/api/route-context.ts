// Who calls a route handler outside tRPC and the REST API (media, uploads): the signed-in
// user and their active workspace, or the error that says why not.
import { auth } from "../auth/config.ts";
import { getRequestMembership } from "../auth/session.ts";
import { getDb } from "../db/client.ts";
import { AppError, NotFoundError } from "../lib/errors.ts";

export async function getRouteContext() {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) throw new AppError("UNAUTHORIZED", "Please sign in");
  const db = getDb();
  const membership = await getRequestMembership(db, userId);
  if (!membership) throw new NotFoundError("workspace");
  return { db, userId, workspaceId: membership.workspaceId, role: membership.role };
}
