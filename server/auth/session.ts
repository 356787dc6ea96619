// For server components: the signed-in user and their active workspace, or a redirect.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "../db/client.ts";
import { auth } from "./config.ts";
import { getActiveMembership, WORKSPACE_COOKIE } from "./workspace.ts";

export async function requireWorkspace() {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) redirect("/sign-in");
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, disabledAt: true } });
  if (!user || user.disabledAt) redirect("/sign-in");
  const membership = await getActiveMembership(db, userId, (await cookies()).get(WORKSPACE_COOKIE)?.value);
  if (!membership) redirect("/sign-in");
  return { db, user, workspace: membership.workspace, role: membership.role };
}
