// A user who owns a workspace: the starting point of most server tests.
import type { Db } from "../../server/db/client.ts";

export async function createOwner(db: Db, name: string) {
  const user = await db.user.create({ data: { email: `${name}@example.test` } });
  const ws = await db.workspace.create({ data: { name, slug: name, memberships: { create: { userId: user.id, role: "owner" } } } });
  return { userId: user.id, workspaceId: ws.id };
}
