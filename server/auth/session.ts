// The signed-in user and their active workspace for the current request (pages, route handlers, tRPC).
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb, type Db } from "../db/client.ts";
import { auth } from "./config.ts";
import { getActiveMembership, WORKSPACE_COOKIE } from "./workspace.ts";

/** The user's active membership for this request: the workspace cookie, if the user is a
 *  member of that workspace, else their personal one. For route handlers, tRPC and pages. */
export async function getRequestMembership(db: Db, userId: string) {
  return getActiveMembership(db, userId, (await cookies()).get(WORKSPACE_COOKIE)?.value);
}

export async function requireWorkspace() {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) redirect("/sign-in");
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, disabledAt: true, isSiteAdmin: true } });
  if (!user || user.disabledAt) redirect("/sign-in");
  const membership = await getRequestMembership(db, userId);
  if (!membership) redirect("/sign-in");
  return { db, user, workspace: membership.workspace, role: membership.role };
}
