// What every service function takes first: the database and who acts in which workspace,
// derived on the server (tRPC's workspace procedure, the REST API key, a route handler's
// session). Services that need less take a part of it.
import type { Db, Role } from "../db/client.ts";

export type ServiceContext = { db: Db; workspaceId: string; userId: string; role?: Role };

/** Acts in a workspace as a member whose role matters (what they may manage). */
export type MemberContext = ServiceContext & { role: Role };
/** Reads in a workspace; nobody in particular acts. */
export type WorkspaceContext = Pick<ServiceContext, "db" | "workspaceId">;
/** Acts as a user in no particular workspace (their workspaces, an invitation, the site admin). */
export type UserContext = Pick<ServiceContext, "db" | "userId">;
/** Only the database (public pages: a share link, an invitation). */
export type DbContext = Pick<ServiceContext, "db">;
