// The active workspace read in one statement (auth/workspace.ts, requireActiveMembership, which
// workspaceProcedure and jobs.events use) against getActiveMembership, which pages use: for
// every user below (disabled, gone, without a membership, with several, with one removed, with
// a deleted workspace, with memberships made at the same instant) and every workspace cookie
// (none, each of theirs, another's, one that does not exist), both choose the same workspace
// and role, and refuse with protectedProcedure's and workspaceProcedure's errors. Through the
// procedures too: workspaces.mine answers the same workspace, and videos.list costs one
// statement more than its list.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { PrismaPg } from "@prisma/adapter-pg";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";
import { callerFactory } from "../helpers/trpc.ts";

setTestEnv({ RENDER_WORKER_URL: "http://127.0.0.1:9" });
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb, PrismaClient } = await import("../../server/db/client.ts");
const { getActiveMembership, requireActiveMembership } = await import("../../server/auth/workspace.ts");
const { listVideos } = await import("../../server/videos/queries.ts");

const db = getDb();
// Procedures read through a client whose every statement is counted.
const counted = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url, max: 4 }), log: [{ emit: "event", level: "query" }] });
let queries = 0;
counted.$on("query", () => void queries++);
const as = await callerFactory(counted);

after(async () => {
  await counted.$disconnect();
  await db.$disconnect();
  await database.drop();
});

const UNAUTHORIZED = "UNAUTHORIZED: This account is disabled or no longer exists";
const FORBIDDEN = "FORBIDDEN: You are not a member of any workspace";

/** What a workspace procedure should decide, from the reads it made before: the account
 *  (protectedProcedure), then getActiveMembership. */
async function expected(userId: string, requested: string | undefined) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { disabledAt: true } });
  if (!user || user.disabledAt) return UNAUTHORIZED;
  const membership = await getActiveMembership(db, userId, requested);
  return membership ? `${membership.workspaceId} ${membership.role}` : FORBIDDEN;
}

async function outcome(call: Promise<{ workspaceId: string; role?: string }>) {
  try {
    const { workspaceId, role } = await call;
    return role ? `${workspaceId} ${role}` : workspaceId;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return `${code}: ${message}`;
  }
}

/** Both choices, for every cookie this user could send, agree; so does workspaces.mine. */
async function assertAgree(label: string, userId: string) {
  const workspaces = (await db.workspace.findMany({ select: { id: true } })).map((w) => w.id);
  for (const requested of [undefined, "", "no-such-workspace", ...workspaces]) {
    const want = await expected(userId, requested);
    assert.equal(await outcome(requireActiveMembership(db, userId, requested)), want, `${label}, cookie ${requested}`);
    // workspaces.mine answers the workspace without the role.
    const mine = as(userId, requested)
      .workspaces.mine()
      .then((m) => ({ workspaceId: m.active }));
    const wantWorkspace = want === UNAUTHORIZED || want === FORBIDDEN ? want : want.split(" ")[0];
    assert.equal(await outcome(mine), wantWorkspace, `${label}, workspaces.mine, cookie ${requested}`);
  }
}

test("the one statement chooses the workspace getActiveMembership chooses, and refuses as the procedures did", async () => {
  const member = await db.user.create({ data: { email: "member@example.test" } });
  const team = await createOwner(db, "team");
  const other = await createOwner(db, "other-team");
  const stranger = await createOwner(db, "stranger");
  // Memberships in an order that is not the personal one's: a team first, then their own, then another team.
  await db.membership.create({ data: { userId: member.id, workspaceId: team.workspaceId, role: "viewer" } });
  const personal = await db.workspace.create({
    data: { name: "mine", slug: "member-personal", personal: true, memberships: { create: { userId: member.id, role: "owner" } } },
  });
  await db.membership.create({ data: { userId: member.id, workspaceId: other.workspaceId, role: "editor" } });
  await assertAgree("several memberships, one personal", member.id);

  // Without a personal workspace: the first membership, unless the cookie names another of theirs.
  await db.workspace.delete({ where: { id: personal.id } });
  await assertAgree("a deleted personal workspace", member.id);
  assert.equal(await outcome(requireActiveMembership(db, member.id, undefined)), `${team.workspaceId} viewer`);

  // A removed membership: its workspace's cookie is no longer honoured.
  await db.membership.delete({ where: { workspaceId_userId: { workspaceId: team.workspaceId, userId: member.id } } });
  await assertAgree("a removed membership", member.id);
  assert.equal(await outcome(requireActiveMembership(db, member.id, team.workspaceId)), `${other.workspaceId} editor`);

  // Memberships made at the same instant (as in one transaction): the same one each time.
  const twin = await db.user.create({ data: { email: "twin@example.test" } });
  const at = new Date("2030-01-01T00:00:00Z");
  for (const ws of [stranger, team, other])
    await db.membership.create({ data: { userId: twin.id, workspaceId: ws.workspaceId, role: "viewer", createdAt: at } });
  await assertAgree("memberships made at the same instant", twin.id);

  // A member of someone else's personal workspace as well as their own: the first personal one.
  const guest = await db.user.create({ data: { email: "guest@example.test" } });
  const own = await db.workspace.create({ data: { name: "own", slug: "guest-own", personal: true } });
  const hosts = await db.workspace.create({ data: { name: "host", slug: "host-personal", personal: true } });
  await db.membership.create({ data: { userId: guest.id, workspaceId: team.workspaceId, role: "editor" } });
  await db.membership.create({ data: { userId: guest.id, workspaceId: hosts.id, role: "viewer" } });
  await db.membership.create({ data: { userId: guest.id, workspaceId: own.id, role: "owner" } });
  await assertAgree("two personal workspaces", guest.id);

  // No membership at all; the last one removed; a user who does not exist; a disabled one.
  const loner = await db.user.create({ data: { email: "loner@example.test" } });
  await assertAgree("no membership", loner.id);
  await db.membership.deleteMany({ where: { userId: member.id } });
  await assertAgree("every membership removed", member.id);
  assert.equal(await outcome(requireActiveMembership(db, member.id, undefined)), FORBIDDEN);
  await assertAgree("a user who does not exist", "no-such-user");
  assert.equal(await outcome(requireActiveMembership(db, "no-such-user", undefined)), UNAUTHORIZED);
  await db.user.update({ where: { id: guest.id }, data: { disabledAt: new Date() } });
  await assertAgree("a disabled user", guest.id);
  assert.equal(await outcome(requireActiveMembership(db, guest.id, own.id)), UNAUTHORIZED);
});

test("a workspace procedure reads the account and the workspace in one statement", async () => {
  const owner = await createOwner(db, "counted");
  const actor = { db: counted, workspaceId: owner.workspaceId, userId: owner.userId };
  await listVideos(actor, {});
  let before = queries;
  await listVideos(actor, {});
  const listing = queries - before;
  before = queries;
  await as(owner.userId).videos.list({});
  assert.equal(queries - before, listing + 1);
});
