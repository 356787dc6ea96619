// Team workspaces on the real database, through the tRPC procedures themselves (the same
// router the app serves, called with a session and a workspace cookie): invitations,
// roles, ownership, sharing, the audit log, and an authorization matrix in which every
// role and an outsider call every procedure, refusals change nothing, and an outsider
// gets NOT_FOUND for another workspace's objects.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { callerFactory, code, type Caller } from "../helpers/trpc.ts";

setTestEnv({});
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const { appRouter } = await import("../../server/api/root.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { resolveShareToken } = await import("../../server/sharing/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");

const db = getDb();
const as = await callerFactory(db);
const brief = briefSchema.parse({
  topic: "Team video",
  audience: "colleagues",
  tone: "friendly",
  targetLengthSec: 15,
  aspectRatio: "16:9",
  voice: "en-us-male",
  visualStyle: "modern",
  music: "none",
});

async function user(name: string) {
  const u = await db.user.create({ data: { email: `${name}@example.test`, name } });
  const personal = await db.workspace.create({
    data: { name: `${name}'s`, slug: `${name}-personal`, personal: true, memberships: { create: { userId: u.id, role: "owner" } } },
  });
  return { id: u.id, email: u.email, personal: personal.id };
}

/** Rows that a refused call must leave as they were. */
async function snapshot(workspaceId: string) {
  const [memberships, invitations, videos, jobs, shares, documents, settings, audit, workspace, keys, hooks, media] = await Promise.all([
    db.membership.findMany({ where: { workspaceId }, orderBy: { id: "asc" }, select: { userId: true, role: true } }),
    db.invitation.findMany({ where: { workspaceId }, orderBy: { id: "asc" }, select: { id: true, revokedAt: true, acceptedAt: true } }),
    db.video.findMany({ where: { workspaceId }, orderBy: { id: "asc" }, select: { id: true, script: true, status: true, tags: true } }),
    db.job.findMany({ where: { workspaceId }, orderBy: { id: "asc" }, select: { id: true, status: true, cancelRequestedAt: true } }),
    db.shareLink.findMany({ where: { workspaceId }, orderBy: { id: "asc" }, select: { id: true, revokedAt: true } }),
    db.knowledgeDocument.count({ where: { workspaceId } }),
    db.providerSetting.count({ where: { workspaceId } }),
    db.auditLog.count({ where: { workspaceId } }),
    db.workspace.findUnique({ where: { id: workspaceId }, select: { name: true, offlineMode: true } }),
    db.apiKey.findMany({ where: { workspaceId }, orderBy: { id: "asc" }, select: { id: true, revokedAt: true } }),
    db.webhook.findMany({ where: { workspaceId }, orderBy: { id: "asc" }, select: { id: true } }),
    db.mediaItem.findMany({ where: { workspaceId }, orderBy: { id: "asc" }, select: { id: true, name: true, tags: true } }),
  ]);
  return JSON.stringify({ memberships, invitations, videos, jobs, shares, documents, settings, audit, workspace, keys, hooks, media });
}

let owner: Awaited<ReturnType<typeof user>>, admin: typeof owner, editor: typeof owner, viewer: typeof owner, outsider: typeof owner;
let team = "";

before(async () => {
  const users = await Promise.all(["olive", "adam", "eddie", "vera", "otto"].map(user));
  [owner, admin, editor, viewer, outsider] = users as [typeof owner, typeof owner, typeof owner, typeof owner, typeof owner];
  const created = await as(owner.id).workspaces.create({ name: "Studio" });
  team = created.workspaceId;
  for (const [member, role] of [
    [admin, "admin"],
    [editor, "editor"],
    [viewer, "viewer"],
  ] as const) {
    const invitation = await as(owner.id, team).workspaces.invite({ email: member.email, role });
    const accepted = await as(member.id).workspaces.accept({ token: invitation.token });
    assert.equal(accepted.workspaceId, team);
  }
});

after(async () => {
  await closeSender();
  await db.$disconnect();
  await database.drop();
});

describe("team workspaces", () => {
  test("invited members see the workspace and its videos; the switcher lists it", async () => {
    const { videoId } = await as(owner.id, team).videos.create(brief);
    const mine = await as(editor.id, team).workspaces.mine();
    assert.equal(mine.active, team);
    assert.deepEqual(
      mine.workspaces.map((w) => [w.name, w.role]),
      [
        ["eddie's", "owner"],
        ["Studio", "editor"],
      ],
    );
    assert.ok(
      (await as(viewer.id, team).videos.list()).some((v) => v.id === videoId),
      "a viewer sees the owner's video",
    );
    assert.equal((await as(viewer.id).videos.list()).length, 0, "without the cookie, the personal workspace is active");
    const switched: (string | null)[] = [];
    await as(viewer.id, undefined, switched).workspaces.switch({ workspaceId: team });
    assert.deepEqual(switched, [team]);
    assert.equal(await code(as(outsider.id).workspaces.switch({ workspaceId: team })), "NOT_FOUND");
  });

  test("the library searches, filters by status, creator, tag and date, and sorts", async () => {
    const e = as(editor.id, team);
    const first = await e.videos.create({ ...brief, topic: "Quarterly sales review" });
    const second = await as(owner.id, team).videos.create({ ...brief, topic: "Onboarding for new hires" });
    await e.videos.setTags({ videoId: first.videoId, tags: ["Sales", "q3", "sales"] });
    assert.deepEqual((await db.video.findUniqueOrThrow({ where: { id: first.videoId } })).tags, ["sales", "q3"], "tags are lower-cased and unique");
    const ids = async (filter: Parameters<Caller["videos"]["list"]>[0]) => (await as(viewer.id, team).videos.list(filter)).map((v) => v.id);
    assert.deepEqual(await ids({ q: "quarterly" }), [first.videoId], "title search ignores case");
    assert.deepEqual(await ids({ q: "new hires" }), [second.videoId], "the brief's topic is searched too");
    assert.deepEqual(await ids({ tag: "q3" }), [first.videoId]);
    assert.ok((await ids({ creator: owner.id })).includes(second.videoId));
    assert.ok(!(await ids({ creator: owner.id })).includes(first.videoId));
    assert.deepEqual(await ids({ status: "ready", q: "quarterly" }), []);
    const tomorrow = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
    assert.deepEqual(await ids({ from: tomorrow }), []);
    const all = await ids({ sort: "oldest" });
    assert.ok(all.indexOf(first.videoId) < all.indexOf(second.videoId));
    assert.equal(await code(as(viewer.id, team).videos.setTags({ videoId: first.videoId, tags: ["x"] })), "FORBIDDEN");
    assert.equal(await code(e.videos.setTags({ videoId: first.videoId, tags: ["no/slashes"] })), "BAD_REQUEST");
    assert.equal(await code(as(viewer.id, team).videos.list({ from: "not a date" })), "BAD_REQUEST");
  });

  test("quotas: length, jobs at once, videos per day and minutes per month are enforced with a clear error", async () => {
    const { workspaceId } = await as(owner.id).workspaces.create({ name: "Quota team" });
    const o = as(owner.id, workspaceId);
    await db.workspace.update({
      where: { id: workspaceId },
      data: { quotaMaxLengthSec: 30, quotaConcurrentJobs: 2, quotaVideosPerDay: 3, quotaMinutesPerMonth: 2 },
    });
    const long = await code(o.videos.create({ ...brief, targetLengthSec: 60 }));
    assert.equal(long, "TOO_MANY_REQUESTS");
    await assert.rejects(o.videos.create({ ...brief, targetLengthSec: 60 }), /targetLengthSec: this workspace's videos can be at most 30 seconds long/);
    await o.videos.create(brief);
    await o.videos.create(brief);
    await assert.rejects(o.videos.create(brief), /already has 2 of its 2 jobs running or queued/);
    // Jobs end; the day's third video fits, a fourth does not.
    await db.job.updateMany({ where: { workspaceId }, data: { status: "succeeded" } });
    await o.videos.create({ ...brief, targetLengthSec: 15 });
    await db.job.updateMany({ where: { workspaceId }, data: { status: "succeeded" } });
    await assert.rejects(o.videos.create(brief), /made its 3 videos for today/);
    // Minutes count what was rendered: 3 renders of 15 s = 0.75 of 2 minutes; a 90 s video
    // would pass the month's limit.
    const { recordRenderUsage } = await import("../../server/quotas/service.ts");
    for (const v of await db.video.findMany({ where: { workspaceId } }))
      await recordRenderUsage(db, { workspaceId, videoId: v.id, jobId: "j", renderId: `render-${v.id}`, seconds: 15 });
    await db.workspace.update({ where: { id: workspaceId }, data: { quotaVideosPerDay: null, quotaMaxLengthSec: null } });
    await assert.rejects(o.videos.create({ ...brief, targetLengthSec: 90 }), /bring the month to 2\.3 of this workspace's 2 minutes/);
    assert.equal(await db.video.count({ where: { workspaceId } }), 3, "refused videos were not created");
    const report = await o.workspaces.usage();
    assert.deepEqual(report.usage, { activeJobs: 0, videosToday: 3, minutesThisMonth: 0.8 });
    assert.deepEqual(report.limits, { concurrentJobs: 2, videosPerDay: null, minutesPerMonth: 2, maxLengthSec: null });
    // Two requests at once cannot both take the last place.
    await db.workspace.update({ where: { id: workspaceId }, data: { quotaConcurrentJobs: 1, quotaMinutesPerMonth: null } });
    const results = await Promise.all([code(o.videos.create(brief)), code(o.videos.create(brief))]);
    assert.deepEqual(results.sort(), ["OK", "TOO_MANY_REQUESTS"]);
  });

  test("invitations: only for the invited email, once, until they expire or are revoked", async () => {
    const invitation = await as(admin.id, team).workspaces.invite({ email: "newbie@example.test", role: "viewer" });
    assert.equal(await code(as(outsider.id).workspaces.accept({ token: invitation.token })), "FORBIDDEN", "another account cannot use it");
    const newbie = await user("newbie");
    await as(newbie.id).workspaces.accept({ token: invitation.token });
    assert.equal(await code(as(newbie.id).workspaces.accept({ token: invitation.token })), "CONFLICT");
    const late = await as(owner.id, team).workspaces.invite({ email: "late@example.test", role: "editor" });
    await db.invitation.update({ where: { id: late.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const lateUser = await user("late");
    assert.equal(await code(as(lateUser.id).workspaces.accept({ token: late.token })), "BAD_REQUEST");
    const revoked = await as(owner.id, team).workspaces.invite({ email: "late@example.test", role: "editor" });
    await as(owner.id, team).workspaces.revokeInvitation({ invitationId: revoked.id });
    assert.equal(await code(as(lateUser.id).workspaces.accept({ token: revoked.token })), "NOT_FOUND");
    assert.equal(await code(as(admin.id, team).workspaces.invite({ email: editor.email, role: "viewer" })), "CONFLICT", "already a member");
    await as(owner.id, team).workspaces.removeMember({ userId: newbie.id });
  });

  test("roles: admins manage editors and viewers, not admins or the owner; ownership moves by transfer", async () => {
    assert.equal(await code(as(admin.id, team).workspaces.changeRole({ userId: owner.id, role: "viewer" })), "FORBIDDEN");
    assert.equal(await code(as(admin.id, team).workspaces.removeMember({ userId: owner.id })), "FORBIDDEN");
    await as(admin.id, team).workspaces.changeRole({ userId: viewer.id, role: "editor" });
    await as(admin.id, team).workspaces.changeRole({ userId: viewer.id, role: "viewer" });
    assert.equal(await code(as(owner.id, team).workspaces.leave()), "BAD_REQUEST", "the owner cannot leave");
    await as(owner.id, team).workspaces.transferOwnership({ userId: admin.id });
    const roles = Object.fromEntries((await db.membership.findMany({ where: { workspaceId: team } })).map((m) => [m.userId, m.role]));
    assert.deepEqual([roles[admin.id], roles[owner.id]], ["owner", "admin"]);
    await as(admin.id, team).workspaces.transferOwnership({ userId: owner.id });
    await as(owner.id, team).workspaces.changeRole({ userId: admin.id, role: "admin" });
  });

  test("share links: a ready video only; revoked or expired links stop working; other workspaces cannot touch them", async () => {
    const { videoId } = await as(editor.id, team).videos.create(brief);
    assert.equal(await code(as(editor.id, team).shares.create({ videoId })), "BAD_REQUEST", "not ready yet");
    const asset = await db.asset.create({
      data: {
        workspaceId: team,
        videoId,
        kind: "video",
        storageKey: `workspaces/${team}/videos/${videoId}/output/x.mp4`,
        sha256: "x",
        bytes: 1n,
        mimeType: "video/mp4",
      },
    });
    await db.video.update({ where: { id: videoId }, data: { outputAssetId: asset.id, status: "ready" } });
    const link = await as(editor.id, team).shares.create({ videoId, expiresInDays: 2 });
    assert.ok(link.token.length >= 32);
    assert.equal((await resolveShareToken({ db }, link.token))?.video.id, videoId);
    assert.equal(await code(as(outsider.id).shares.revoke({ linkId: link.id })), "NOT_FOUND");
    await as(editor.id, team).shares.revoke({ linkId: link.id });
    assert.equal(await resolveShareToken({ db }, link.token), null);
    const expiring = await as(editor.id, team).shares.create({ videoId, expiresInDays: 1 });
    await db.shareLink.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    assert.equal(await resolveShareToken({ db }, expiring.token), null);
    assert.equal(await resolveShareToken({ db }, "not-a-real-token-at-all-00000"), null);
  });

  test("the audit log records member, role, share and settings changes, visible to admins only", async () => {
    const actions = (await as(admin.id, team).workspaces.audit()).map((e) => e.action);
    for (const action of [
      "workspace.created",
      "member.invited",
      "member.joined",
      "invitation.revoked",
      "member.role_changed",
      "member.removed",
      "workspace.ownership_transferred",
      "share.created",
      "share.revoked",
    ]) {
      assert.ok(actions.includes(action), `${action} is in the log`);
    }
    assert.equal(await code(as(editor.id, team).workspaces.audit()), "FORBIDDEN");
    await as(admin.id, team).providers.setOptions({ offlineMode: true });
    await as(admin.id, team).providers.setOptions({ offlineMode: false });
    const settings = (await as(admin.id, team).workspaces.audit()).filter((e) => e.action === "settings.updated");
    assert.deepEqual(
      settings.map((e) => [e.actor, (e.data as { offlineMode?: boolean }).offlineMode]),
      [
        [admin.email, false],
        [admin.email, true],
      ],
    );
    const entry = (await as(owner.id, team).workspaces.audit()).find(
      (e) => e.action === "member.role_changed" && e.actor === admin.email && (e.data as { to?: string }).to === "viewer",
    );
    assert.deepEqual(entry?.data, { email: viewer.email, from: "editor", to: "viewer" });
  });

  test("malformed input at the edges is refused or ignored, never a server error", async () => {
    // A workspace cookie that does not decode chooses nothing: the user's own workspace answers.
    const mangled = await as(owner.id, "%E0%A4%A").workspaces.mine();
    assert.ok(
      mangled.workspaces.some((w) => w.id === mangled.active),
      "an active workspace of the user's own",
    );
    // A cursor too long for a row id is refused as input (it used to reach PostgreSQL as an out-of-range bigint).
    assert.equal(await code(as(admin.id, team).workspaces.audit({ before: "99999999999999999999" })), "BAD_REQUEST");
    assert.equal(await code(as(admin.id, team).workspaces.audit({ before: "9223372036854775807" })), "OK");
  });

  test("a batch of more calls than the limit is refused before any runs", async () => {
    const { handleTrpcRequest, MAX_BATCH_SIZE } = await import("../../server/api/http.ts");
    const context = async () => ({ db, session: { user: { id: owner.id } }, headers: new Headers(), setWorkspace: async () => {} });
    const batch = (n: number) => new Request(`http://aura.test/api/trpc/${Array.from({ length: n }, () => "workspaces.mine").join(",")}?batch=1`);
    assert.equal((await handleTrpcRequest(batch(MAX_BATCH_SIZE), context)).status, 200);
    const tooMany = await handleTrpcRequest(batch(MAX_BATCH_SIZE + 1), context);
    assert.equal(tooMany.status, 400);
  });

  test("a failed change writes no audit entry (same transaction)", async () => {
    const before = await db.auditLog.count({ where: { workspaceId: team } });
    assert.equal(await code(as(owner.id, team).workspaces.changeRole({ userId: "no-such-user", role: "viewer" })), "NOT_FOUND");
    assert.equal(await db.auditLog.count({ where: { workspaceId: team } }), before);
  });

  test("deleting: a personal workspace never; a team workspace by its owner with its name; the entry outlives it", async () => {
    assert.equal(await code(as(owner.id, owner.personal).workspaces.delete({ confirmName: "olive's" })), "BAD_REQUEST");
    const { workspaceId } = await as(owner.id).workspaces.create({ name: "Short-lived" });
    assert.equal(await code(as(owner.id, workspaceId).workspaces.delete({ confirmName: "wrong" })), "BAD_REQUEST");
    await as(owner.id, workspaceId).workspaces.delete({ confirmName: "Short-lived" });
    assert.equal(await db.workspace.count({ where: { id: workspaceId } }), 0);
    assert.equal(await db.auditLog.count({ where: { action: "workspace.deleted", targetId: workspaceId, workspaceId: null } }), 1);
  });
});

describe("authorization matrix", () => {
  type Role = "owner" | "admin" | "editor" | "viewer" | "outsider";
  const ROLES: Role[] = ["owner", "admin", "editor", "viewer", "outsider"];
  let fixtures: { videoId: string; jobId: string; linkId: string; documentId: string; invitationId: string; sceneId: string };

  before(async () => {
    const { videoId, jobId } = await as(owner.id, team).videos.create(brief);
    const asset = await db.asset.create({
      data: {
        workspaceId: team,
        videoId,
        kind: "video",
        storageKey: `workspaces/${team}/videos/${videoId}/output/m.mp4`,
        sha256: "m",
        bytes: 1n,
        mimeType: "video/mp4",
      },
    });
    await db.video.update({ where: { id: videoId }, data: { outputAssetId: asset.id } });
    const link = await as(owner.id, team).shares.create({ videoId });
    const document = await db.knowledgeDocument.create({
      data: { workspaceId: team, name: "d.txt", mimeType: "text/plain", bytes: 1, sha256: "d", chunkCount: 0 },
    });
    const invitation = await as(owner.id, team).workspaces.invite({ email: "pending@example.test", role: "viewer" });
    fixtures = { videoId, jobId, linkId: link.id, documentId: document.id, invitationId: invitation.id, sceneId: "scene-1" };
  });

  const who = (role: Role) => ({ owner, admin, editor, viewer, outsider })[role];
  // Each procedure: the roles allowed, and a call. An outsider sends the team's cookie (it is
  // ignored: they are not a member) and must get NOT_FOUND for the team's objects.
  const READ_ALL: Role[] = ["owner", "admin", "editor", "viewer"];
  const EDIT: Role[] = ["owner", "admin", "editor"];
  const MANAGE: Role[] = ["owner", "admin"];
  // `outsider`: what a non-member gets. Sending the team's cookie does not make them act in
  // it: they act in their own workspace, so the team's objects are NOT_FOUND, and
  // workspace-level calls touch only their own workspace.
  // `prepare` makes a fresh object before the snapshot, for calls that use one up.
  type Case = { name: string; allowed: Role[]; outsider: string; prepare?: () => Promise<string>; call: (c: Caller, id: string) => Promise<unknown> };
  const freshLink = async () =>
    (await db.shareLink.create({ data: { workspaceId: team, videoId: fixtures.videoId, token: `matrix-${Math.random().toString(36).slice(2)}-link-token` } }))
      .id;
  const freshDocument = async () =>
    (
      await db.knowledgeDocument.create({
        data: { workspaceId: team, name: "m.txt", mimeType: "text/plain", bytes: 1, sha256: Math.random().toString(36), chunkCount: 0 },
      })
    ).id;
  // The owner's picture (a row only: the calls below read and change rows, and deleting
  // objects that are not there is no error).
  const freshMedia = async () => {
    const key = `workspaces/${team}/library/matrix-${Math.random().toString(36).slice(2)}`;
    const item = await db.mediaItem.create({
      data: {
        workspaceId: team,
        kind: "image",
        name: "m.png",
        storageKey: `${key}/original.png`,
        thumbnailKey: `${key}/thumbnail.jpg`,
        mimeType: "image/png",
        bytes: 1n,
        sha256: "0".repeat(64),
        createdById: owner.id,
      },
    });
    return item.id;
  };
  const freshInvitation = async () =>
    (
      await db.invitation.create({
        data: {
          workspaceId: team,
          email: `m${Math.random().toString(36).slice(2)}@example.test`,
          role: "viewer",
          token: `inv-${Math.random().toString(36).slice(2)}-token-xx`,
          expiresAt: new Date(Date.now() + 86400_000),
        },
      })
    ).id;
  const freshMember = async () => {
    const u = await db.user.create({ data: { email: `member-${Math.random().toString(36).slice(2)}@example.test` } });
    await db.membership.create({ data: { workspaceId: team, userId: u.id, role: "viewer" } });
    return u.id;
  };
  const freshKey = async () =>
    (
      await db.apiKey.create({
        data: { workspaceId: team, name: "m", prefix: Math.random().toString(16).slice(2, 14).padEnd(12, "0"), hash: "0".repeat(64), scopes: ["videos:read"] },
      })
    ).id;
  const freshHook = async () =>
    (await db.webhook.create({ data: { workspaceId: team, url: "https://example.com/hook", secretCiphertext: "v1.x.y.z", events: ["video.succeeded"] } })).id;
  const cases: Case[] = [
    { name: "videos.list", allowed: READ_ALL, outsider: "OK", call: (c) => c.videos.list() },
    { name: "videos.create", allowed: EDIT, outsider: "OK", call: (c) => c.videos.create(brief) },
    { name: "videos.createDemo", allowed: EDIT, outsider: "OK", call: (c) => c.videos.createDemo() },
    { name: "videos.setTags", allowed: EDIT, outsider: "NOT_FOUND", call: (c) => c.videos.setTags({ videoId: fixtures.videoId, tags: ["matrix"] }) },
    { name: "videos.get", allowed: READ_ALL, outsider: "NOT_FOUND", call: (c) => c.videos.get({ videoId: fixtures.videoId }) },
    {
      name: "videos.editScene",
      allowed: EDIT,
      outsider: "NOT_FOUND",
      call: (c) => c.videos.editScene({ videoId: fixtures.videoId, sceneId: fixtures.sceneId, narration: "New words.", visualPrompt: "new picture" }),
    },
    { name: "jobs.cancel", allowed: EDIT, outsider: "NOT_FOUND", call: (c) => c.jobs.cancel({ jobId: fixtures.jobId }) },
    { name: "jobs.retry", allowed: EDIT, outsider: "NOT_FOUND", call: (c) => c.jobs.retry({ jobId: fixtures.jobId }) },
    {
      name: "jobs.reviewScript",
      allowed: EDIT,
      outsider: "NOT_FOUND",
      call: (c) => c.jobs.reviewScript({ jobId: fixtures.jobId, scenes: [{ id: "scene-1", narration: "Words.", visualPrompt: "picture" }] }),
    },
    { name: "shares.list", allowed: EDIT, outsider: "OK", call: (c) => c.shares.list({ videoId: fixtures.videoId }) },
    { name: "shares.create", allowed: EDIT, outsider: "NOT_FOUND", call: (c) => c.shares.create({ videoId: fixtures.videoId }) },
    { name: "shares.revoke", allowed: EDIT, outsider: "NOT_FOUND", prepare: freshLink, call: (c, id) => c.shares.revoke({ linkId: id }) },
    { name: "knowledge.list", allowed: READ_ALL, outsider: "OK", call: (c) => c.knowledge.list() },
    { name: "knowledge.search", allowed: READ_ALL, outsider: "OK", call: (c) => c.knowledge.search({ query: "anything" }) },
    { name: "knowledge.remove", allowed: EDIT, outsider: "NOT_FOUND", prepare: freshDocument, call: (c, id) => c.knowledge.remove({ documentId: id }) },
    { name: "library.list", allowed: READ_ALL, outsider: "OK", call: (c) => c.library.list({}) },
    { name: "library.get", allowed: READ_ALL, outsider: "NOT_FOUND", prepare: freshMedia, call: (c, id) => c.library.get({ itemId: id }) },
    { name: "library.update", allowed: EDIT, outsider: "NOT_FOUND", prepare: freshMedia, call: (c, id) => c.library.update({ itemId: id, tags: ["matrix"] }) },
    // Editors delete only what they added; this is the owner's.
    { name: "library.remove", allowed: MANAGE, outsider: "NOT_FOUND", prepare: freshMedia, call: (c, id) => c.library.remove({ itemId: id }) },
    { name: "providers.list", allowed: MANAGE, outsider: "OK", call: (c) => c.providers.list() },
    { name: "providers.setOptions", allowed: MANAGE, outsider: "OK", call: (c) => c.providers.setOptions({ scriptInstructions: "Be brief." }) },
    { name: "providers.remove", allowed: MANAGE, outsider: "OK", call: (c) => c.providers.remove({ capability: "script", provider: "openai" }) },
    { name: "workspaces.members", allowed: READ_ALL, outsider: "OK", call: (c) => c.workspaces.members() },
    { name: "workspaces.rename", allowed: MANAGE, outsider: "OK", call: (c) => c.workspaces.rename({ name: "Studio" }) },
    {
      name: "workspaces.invite",
      allowed: MANAGE,
      outsider: "OK",
      call: (c) => c.workspaces.invite({ email: `matrix-${Math.random().toString(36).slice(2)}@example.test`, role: "viewer" }),
    },
    {
      name: "workspaces.revokeInvitation",
      allowed: MANAGE,
      outsider: "NOT_FOUND",
      prepare: freshInvitation,
      call: (c, id) => c.workspaces.revokeInvitation({ invitationId: id }),
    },
    { name: "workspaces.changeRole", allowed: MANAGE, outsider: "NOT_FOUND", call: (c) => c.workspaces.changeRole({ userId: viewer.id, role: "viewer" }) },
    {
      name: "workspaces.removeMember",
      allowed: MANAGE,
      outsider: "NOT_FOUND",
      prepare: freshMember,
      call: (c, id) => c.workspaces.removeMember({ userId: id }),
    },
    { name: "automation.apiKeys", allowed: MANAGE, outsider: "OK", call: (c) => c.automation.apiKeys() },
    { name: "automation.createApiKey", allowed: MANAGE, outsider: "OK", call: (c) => c.automation.createApiKey({ name: "matrix", scopes: ["videos:read"] }) },
    { name: "automation.revokeApiKey", allowed: MANAGE, outsider: "NOT_FOUND", prepare: freshKey, call: (c, id) => c.automation.revokeApiKey({ keyId: id }) },
    { name: "automation.webhooks", allowed: MANAGE, outsider: "OK", call: (c) => c.automation.webhooks() },
    // The URL is refused for every allowed role (a private address): an input refusal, not an authorization one.
    {
      name: "automation.createWebhook",
      allowed: MANAGE,
      outsider: "BAD_REQUEST",
      call: (c) => c.automation.createWebhook({ url: "http://127.0.0.1:9/hook", events: ["video.succeeded"] }),
    },
    {
      name: "automation.deleteWebhook",
      allowed: MANAGE,
      outsider: "NOT_FOUND",
      prepare: freshHook,
      call: (c, id) => c.automation.deleteWebhook({ webhookId: id }),
    },
    { name: "workspaces.usage", allowed: MANAGE, outsider: "OK", call: (c) => c.workspaces.usage() },
    { name: "workspaces.audit", allowed: MANAGE, outsider: "OK", call: (c) => c.workspaces.audit() },
    // The owner's call is refused for its input (self-transfer, wrong name), not for the role.
    { name: "workspaces.transferOwnership", allowed: ["owner"], outsider: "NOT_FOUND", call: (c) => c.workspaces.transferOwnership({ userId: owner.id }) },
    { name: "workspaces.delete", allowed: ["owner"], outsider: "BAD_REQUEST", call: (c) => c.workspaces.delete({ confirmName: "wrong name" }) },
  ];

  for (const { name, allowed, outsider: outsiderResult, prepare, call } of cases) {
    test(name, async () => {
      for (const role of ROLES) {
        const id = prepare ? await prepare() : "";
        const before = await snapshot(team);
        const result = await code(call(as(who(role).id, team), id));
        const expected = role === "outsider" ? outsiderResult : allowed.includes(role) ? "OK" : "FORBIDDEN";
        if (expected === "OK") {
          // Allowed calls may still be refused for the object's state (a job that has not
          // failed cannot be retried): that is not an authorization refusal.
          assert.ok(!["FORBIDDEN", "NOT_FOUND", "UNAUTHORIZED"].includes(result), `${name} as ${role}: ${result}`);
        } else {
          assert.equal(result, expected, `${name} as ${role}`);
          assert.equal(await snapshot(team), before, `${name} as ${role} changed nothing`);
        }
      }
    });
  }

  test("the owner alone may transfer and delete (wrong name: refused, nothing deleted)", async () => {
    assert.equal(await code(as(owner.id, team).workspaces.delete({ confirmName: "wrong name" })), "BAD_REQUEST");
    assert.equal(await db.workspace.count({ where: { id: team } }), 1);
  });

  test("signed out: every procedure answers UNAUTHORIZED", async () => {
    const anonymous = appRouter.createCaller({ db, session: null, headers: new Headers(), setWorkspace: async () => {} });
    assert.equal(await code(anonymous.videos.list()), "UNAUTHORIZED");
    assert.equal(await code(anonymous.workspaces.mine()), "UNAUTHORIZED");
    assert.equal(await code(anonymous.workspaces.accept({ token: "x".repeat(32) })), "UNAUTHORIZED");
  });
});
