// The active workspace comes from the session's user and their memberships, never from
// input alone: a requested workspace (cookie) is used only if the user is a member of it.
import { Prisma, type Db, type Role } from "../db/client.ts";
import { AppError } from "../lib/errors.ts";

export const WORKSPACE_COOKIE = "aura-workspace";

export async function getActiveMembership(db: Db, userId: string, requestedWorkspaceId?: string | null) {
  // A disabled user belongs nowhere: every route that goes through here answers as for a stranger.
  const memberships = await db.membership.findMany({
    where: { userId, user: { disabledAt: null } },
    include: { workspace: true },
    // The id only breaks ties of createdAt (memberships made in one transaction share it), so
    // that the choice is the same every time, and the same as activeMembershipJoin's.
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return memberships.find((m) => m.workspaceId === requestedWorkspaceId) ?? memberships.find((m) => m.workspace.personal) ?? memberships[0] ?? null;
}

/**
 * getActiveMembership's choice in SQL, for a statement that reads the user as `"User" u`: joins
 * `m` with the chosen membership's "workspaceId" and role (nulls when the user has none). The
 * requested workspace if the user is a member of it, else their first personal one, else their
 * first, firsts by createdAt then id. The one copy of that rule in SQL; that it agrees with
 * getActiveMembership is tested (test/integration/active-membership.test.ts).
 */
export function activeMembershipJoin(requestedWorkspaceId: string | null | undefined) {
  return Prisma.sql`LEFT JOIN LATERAL (
      SELECT m."workspaceId", m.role FROM "Membership" m JOIN "Workspace" w ON w.id = m."workspaceId"
      WHERE m."userId" = u.id
      ORDER BY m."workspaceId" = ${requestedWorkspaceId ?? ""} DESC, w.personal DESC, m."createdAt" ASC, m.id ASC
      LIMIT 1
    ) m ON true`;
}

/** What a statement over "User" u joined with activeMembershipJoin reads: the account's state
 *  and the chosen membership. No row: the user does not exist. */
export type AccountMembershipRow = { disabled: boolean; workspaceId: string | null; role: Role | null };

/** The refusals of a workspace procedure, in their order: the account first, then the
 *  membership. */
export function membershipOrThrow(row: AccountMembershipRow | undefined) {
  if (!row || row.disabled) throw new AppError("UNAUTHORIZED", "This account is disabled or no longer exists");
  if (!row.workspaceId || !row.role) throw new AppError("FORBIDDEN", "You are not a member of any workspace");
  return { workspaceId: row.workspaceId, role: row.role };
}

/**
 * What protectedProcedure's account read and getActiveMembership check, in one statement
 * instead of three reads (the library list is requested by many clients at once): the user
 * exists and is not disabled, and their active membership. Refuses as they do.
 */
export async function requireActiveMembership(db: Db, userId: string, requestedWorkspaceId: string | null | undefined) {
  const [row] = await db.$queryRaw<AccountMembershipRow[]>`
    SELECT u."disabledAt" IS NOT NULL AS disabled, m."workspaceId", m.role
    FROM "User" u ${activeMembershipJoin(requestedWorkspaceId)}
    WHERE u.id = ${userId}`;
  return membershipOrThrow(row);
}
