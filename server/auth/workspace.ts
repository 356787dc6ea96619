// The active workspace comes from the session's user and their memberships, never from
// input alone: a requested workspace (cookie) is used only if the user is a member of it.
import type { Db } from "../db/client.ts";

export const WORKSPACE_COOKIE = "aura-workspace";

export async function getActiveMembership(db: Db, userId: string, requestedWorkspaceId?: string | null) {
  // A disabled user belongs nowhere: every route that goes through here answers as for a stranger.
  const memberships = await db.membership.findMany({
    where: { userId, user: { disabledAt: null } },
    include: { workspace: true },
    orderBy: { createdAt: "asc" },
  });
  return memberships.find((m) => m.workspaceId === requestedWorkspaceId) ?? memberships.find((m) => m.workspace.personal) ?? memberships[0] ?? null;
}
