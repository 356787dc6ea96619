// Who calls a route handler outside tRPC and the REST API (media, uploads, share links): the
// service context it passes on, or the error that says why there is none.
import { auth } from "../auth/config.ts";
import { getRequestMembership } from "../auth/session.ts";
import { getDb } from "../db/client.ts";
import { AppError, NotFoundError } from "../lib/errors.ts";
import type { DbContext, MemberContext } from "../lib/service-context.ts";

/** The context of a request that acts for no user in no workspace (a share link's media, the metrics scrape). */
export function getUnscopedContext(): DbContext {
  return { db: getDb() };
}

/** The signed-in user acting in their active workspace, or UNAUTHORIZED / NOT_FOUND. */
export async function getRouteContext(): Promise<MemberContext> {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) throw new AppError("UNAUTHORIZED", "Please sign in");
  const db = getDb();
  const membership = await getRequestMembership(db, userId);
  if (!membership) throw new NotFoundError("workspace");
  return { db, userId, workspaceId: membership.workspaceId, role: membership.role };
}
