// Team workspaces: create, rename, members and their roles, invitations by link, leave,
// transfer ownership, delete. The caller checks the role table (auth/permissions.ts, in the
// procedure's middleware); what depends on the member acted on (admins manage editors and
// viewers, only the owner admins) is checked here. Every change is written with its audit
// entry in one transaction.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { can } from "../auth/permissions.ts";
import type { Db, Role } from "../db/client.ts";
import type { DbContext, MemberContext, UserContext } from "../lib/service-context.ts";
import { recordAudit } from "../audit/log.ts";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "../lib/errors.ts";
import { mailConfigured, sendMail } from "../lib/mail.ts";
import { publicUrl } from "../lib/public-url.ts";
import { getStore } from "../storage/store.ts";
import { textField } from "../text/policy.ts";

export const INVITE_DAYS = 7;
const ROLE_RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

export const workspaceNameSchema = textField("Name", { min: 2, max: 80 });
export const inviteSchema = z.object({
  email: z.string({ error: "Email is required" }).trim().toLowerCase().pipe(z.email("Email must be a valid email address")),
  role: z.enum(["admin", "editor", "viewer"], { error: "Role must be admin, editor or viewer" }),
});

function slugFor(name: string) {
  return `${
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 30) || "workspace"
  }-${randomBytes(3).toString("hex")}`;
}

export async function listMyWorkspaces({ db, userId }: UserContext) {
  const memberships = await db.membership.findMany({
    where: { userId },
    include: { workspace: { select: { id: true, name: true, personal: true, _count: { select: { memberships: true } } } } },
    orderBy: { createdAt: "asc" },
  });
  return memberships.map((m) => ({
    id: m.workspace.id,
    name: m.workspace.name,
    personal: m.workspace.personal,
    role: m.role,
    members: m.workspace._count.memberships,
  }));
}

export async function createWorkspace({ db, userId }: UserContext, name: string) {
  const valid = workspaceNameSchema.parse(name);
  return db.$transaction(async (tx) => {
    const workspace = await tx.workspace.create({ data: { name: valid, slug: slugFor(valid), memberships: { create: { userId, role: "owner" } } } });
    await recordAudit(tx, {
      workspaceId: workspace.id,
      actorId: userId,
      action: "workspace.created",
      targetType: "workspace",
      targetId: workspace.id,
      data: { name: valid },
    });
    return workspace;
  });
}

export async function renameWorkspace(actor: MemberContext, name: string) {
  const { db } = actor;
  const valid = workspaceNameSchema.parse(name);
  return db.$transaction(async (tx) => {
    const before = await tx.workspace.findUniqueOrThrow({ where: { id: actor.workspaceId } });
    const workspace = await tx.workspace.update({ where: { id: actor.workspaceId }, data: { name: valid } });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "workspace.renamed",
      targetType: "workspace",
      targetId: actor.workspaceId,
      data: { from: before.name, to: valid },
    });
    return workspace;
  });
}

export async function listMembers(actor: MemberContext) {
  const { db } = actor;
  const [members, invitations] = await Promise.all([
    db.membership.findMany({
      where: { workspaceId: actor.workspaceId },
      include: { user: { select: { id: true, email: true, name: true } } },
      orderBy: { createdAt: "asc" },
    }),
    can(actor.role, "members.manage")
      ? db.invitation.findMany({
          where: { workspaceId: actor.workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
          orderBy: { createdAt: "desc" },
        })
      : Promise.resolve([]),
  ]);
  return {
    members: members.map((m) => ({ userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt })),
    invitations: invitations.map((i) => ({ id: i.id, email: i.email, role: i.role, token: i.token, expiresAt: i.expiresAt })),
  };
}

export async function inviteMember(actor: MemberContext, input: z.input<typeof inviteSchema>) {
  const { db } = actor;
  const { email, role } = inviteSchema.parse(input);
  if (ROLE_RANK[role] > ROLE_RANK[actor.role]) throw new ForbiddenError(`Your role (${actor.role}) may not invite an ${role}`);
  const existing = await db.membership.findFirst({ where: { workspaceId: actor.workspaceId, user: { email } } });
  if (existing) throw new ConflictError(`${email} is already a member`);
  return db.$transaction(async (tx) => {
    // A new invitation to the same address replaces the open one.
    await tx.invitation.updateMany({ where: { workspaceId: actor.workspaceId, email, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    const invitation = await tx.invitation.create({
      data: {
        workspaceId: actor.workspaceId,
        email,
        role,
        token: randomBytes(24).toString("base64url"),
        invitedById: actor.userId,
        expiresAt: new Date(Date.now() + INVITE_DAYS * 86400_000),
      },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "member.invited",
      targetType: "invitation",
      targetId: invitation.id,
      data: { email, role },
    });
    return invitation;
  });
}

export async function revokeInvitation(actor: MemberContext, invitationId: string) {
  const { db } = actor;
  return db.$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({
      where: { id: invitationId, workspaceId: actor.workspaceId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (!count) throw new NotFoundError("invitation");
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: invitationId,
    });
    return { revoked: true };
  });
}

/** What an invitation link shows before it is accepted (no workspace data beyond its name). */
export async function describeInvitation({ db }: DbContext, token: string) {
  const invitation = await db.invitation.findUnique({ where: { token }, include: { workspace: { select: { name: true } } } });
  if (!invitation) return { state: "invalid" as const };
  const state: "revoked" | "accepted" | "expired" | "open" = invitation.revokedAt
    ? "revoked"
    : invitation.acceptedAt
      ? "accepted"
      : invitation.expiresAt <= new Date()
        ? "expired"
        : "open";
  return { state, email: invitation.email, role: invitation.role, workspace: invitation.workspace.name, workspaceId: invitation.workspaceId };
}

export async function acceptInvitation({ db, userId }: UserContext, token: string) {
  return db.$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({ where: { token } });
    if (!invitation || invitation.revokedAt) throw new NotFoundError("invitation");
    if (invitation.acceptedAt) throw new ConflictError("This invitation was already used");
    if (invitation.expiresAt <= new Date()) throw new BadRequestError("This invitation has expired: ask for a new one");
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    if (user.email.toLowerCase() !== invitation.email.toLowerCase())
      throw new ForbiddenError(`This invitation is for ${invitation.email}; you are signed in as ${user.email}`);
    // Claims the invitation only if nobody else did in the meantime.
    const { count } = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null },
      data: { acceptedAt: new Date(), acceptedById: userId },
    });
    if (!count) throw new ConflictError("This invitation was already used");
    await tx.membership.upsert({
      where: { workspaceId_userId: { workspaceId: invitation.workspaceId, userId } },
      create: { workspaceId: invitation.workspaceId, userId, role: invitation.role },
      update: {},
    });
    await recordAudit(tx, {
      workspaceId: invitation.workspaceId,
      actorId: userId,
      action: "member.joined",
      targetType: "user",
      targetId: userId,
      data: { email: user.email, role: invitation.role },
    });
    return { workspaceId: invitation.workspaceId };
  });
}

async function memberOrThrow(tx: Pick<Db, "membership">, workspaceId: string, userId: string) {
  const member = await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, include: { user: { select: { email: true } } } });
  if (!member) throw new NotFoundError("member");
  return member;
}

/** Admins manage editors and viewers; only the owner manages admins. Nobody changes the owner here. */
function mayManage(actor: MemberContext, target: Role) {
  if (target === "owner") return false;
  return actor.role === "owner" || ROLE_RANK[target] < ROLE_RANK[actor.role];
}

export async function changeRole(actor: MemberContext, userId: string, role: "admin" | "editor" | "viewer") {
  const { db } = actor;
  return db.$transaction(async (tx) => {
    const member = await memberOrThrow(tx, actor.workspaceId, userId);
    if (!mayManage(actor, member.role) || ROLE_RANK[role] > ROLE_RANK[actor.role]) {
      throw new ForbiddenError(
        member.role === "owner"
          ? "The owner's role changes only by transferring ownership"
          : `Your role (${actor.role}) may not make an ${member.role} an ${role}`,
      );
    }
    await tx.membership.update({ where: { id: member.id }, data: { role } });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "member.role_changed",
      targetType: "user",
      targetId: userId,
      data: { email: member.user.email, from: member.role, to: role },
    });
    return { userId, role };
  });
}

export async function removeMember(actor: MemberContext, userId: string) {
  const { db } = actor;
  if (userId === actor.userId) throw new BadRequestError("To remove yourself, leave the workspace");
  return db.$transaction(async (tx) => {
    const member = await memberOrThrow(tx, actor.workspaceId, userId);
    if (!mayManage(actor, member.role))
      throw new ForbiddenError(member.role === "owner" ? "The owner cannot be removed" : `Your role (${actor.role}) may not remove an ${member.role}`);
    await tx.membership.delete({ where: { id: member.id } });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "member.removed",
      targetType: "user",
      targetId: userId,
      data: { email: member.user.email, role: member.role },
    });
    return { removed: true };
  });
}

export async function leaveWorkspace(actor: MemberContext) {
  const { db } = actor;
  if (actor.role === "owner") throw new BadRequestError("The owner cannot leave: transfer ownership first, or delete the workspace");
  return db.$transaction(async (tx) => {
    const member = await memberOrThrow(tx, actor.workspaceId, actor.userId);
    await tx.membership.delete({ where: { id: member.id } });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "member.left",
      targetType: "user",
      targetId: actor.userId,
      data: { email: member.user.email },
    });
    return { left: true };
  });
}

export async function transferOwnership(actor: MemberContext, toUserId: string) {
  const { db } = actor;
  if (toUserId === actor.userId) throw new BadRequestError("You already own this workspace");
  return db.$transaction(async (tx) => {
    const target = await memberOrThrow(tx, actor.workspaceId, toUserId);
    await tx.membership.update({ where: { id: target.id }, data: { role: "owner" } });
    await tx.membership.update({ where: { workspaceId_userId: { workspaceId: actor.workspaceId, userId: actor.userId } }, data: { role: "admin" } });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "workspace.ownership_transferred",
      targetType: "user",
      targetId: toUserId,
      data: { to: target.user.email },
    });
    return { ownerId: toUserId };
  });
}

export async function deleteWorkspace(actor: MemberContext, confirmName: string) {
  const { db } = actor;
  const workspace = await db.workspace.findUniqueOrThrow({ where: { id: actor.workspaceId } });
  if (workspace.personal) throw new BadRequestError("A personal workspace cannot be deleted");
  if (confirmName.trim() !== workspace.name) throw new BadRequestError("confirmName: type the workspace's name to delete it");
  await db.$transaction(async (tx) => {
    // The entry outlives the workspace (its own entries go with it).
    await recordAudit(tx, {
      workspaceId: null,
      actorId: actor.userId,
      action: "workspace.deleted",
      targetType: "workspace",
      targetId: workspace.id,
      data: { name: workspace.name },
    });
    await tx.workspace.delete({ where: { id: workspace.id } });
  });
  // Its rows are gone with it (cascade); its media files go too.
  await (await getStore()).deletePrefix(`workspaces/${workspace.id}`);
  return { deleted: true };
}

/** Sends the invitation link by e-mail when SMTP is set up. Never throws: says what happened. */
export async function emailInvitation(
  { db }: DbContext,
  invitation: { email: string; role: Role; token: string; workspaceId: string; invitedById: string | null },
) {
  if (!mailConfigured()) return { emailed: false as const, emailError: null };
  const [workspace, inviter] = await Promise.all([
    db.workspace.findUniqueOrThrow({ where: { id: invitation.workspaceId }, select: { name: true } }),
    invitation.invitedById ? db.user.findUnique({ where: { id: invitation.invitedById }, select: { name: true, email: true } }) : null,
  ]);
  const link = publicUrl(`/invite/${invitation.token}`);
  try {
    await sendMail({
      to: invitation.email,
      subject: `You are invited to ${workspace.name} on Aura`,
      text: `${inviter?.name ?? inviter?.email ?? "Someone"} invites you to join "${workspace.name}" on Aura as ${invitation.role === "admin" ? "an" : "a"} ${invitation.role}.\n\nOpen this link to accept (valid ${INVITE_DAYS} days):\n${link}\n`,
    });
    return { emailed: true as const, emailError: null };
  } catch (error) {
    return { emailed: false as const, emailError: `The e-mail could not be sent (${(error as Error).message}); copy the link instead` };
  }
}
