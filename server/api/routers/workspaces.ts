// Workspaces the user belongs to, switching between them, their members, invitations,
// ownership and the audit log. The acting workspace and role come from the session.
import { z } from "zod";
import { listAudit } from "../../audit/log.ts";
import { NotFoundError } from "../../lib/errors.ts";
import { quotaReport } from "../../quotas/service.ts";
import {
  acceptInvitation,
  changeRole,
  createWorkspace,
  deleteWorkspace,
  emailInvitation,
  inviteMember,
  inviteSchema,
  leaveWorkspace,
  listMembers,
  listMyWorkspaces,
  removeMember,
  renameWorkspace,
  revokeInvitation,
  transferOwnership,
  workspaceNameSchema,
} from "../../workspaces/service.ts";
import { protectedProcedure, requirePermission, router, workspaceProcedure } from "../trpc.ts";
import { deletedSchema, removedSchema, revokedSchema, rowCursorSchema } from "../schemas/common.ts";
import {
  auditEntrySchema,
  invitedSchema,
  leftSchema,
  membersSchema,
  myWorkspacesSchema,
  ownerSchema,
  quotaReportSchema,
  roleChangedSchema,
  workspaceIdSchema,
} from "../schemas/workspaces.ts";

const userId = z.object({ userId: z.string().min(1) });
const manageMembers = requirePermission("members.manage");

export const workspacesRouter = router({
  mine: workspaceProcedure.output(myWorkspacesSchema).query(async ({ ctx }) => ({ active: ctx.workspaceId, workspaces: await listMyWorkspaces(ctx) })),
  create: protectedProcedure
    .input(z.object({ name: workspaceNameSchema }))
    .output(workspaceIdSchema)
    .mutation(async ({ ctx, input }) => {
      const workspace = await createWorkspace(ctx, input.name);
      await ctx.setWorkspace(workspace.id);
      return { workspaceId: workspace.id };
    }),
  /** Makes another of the user's workspaces the active one (a workspace they are not in is not found). */
  switch: protectedProcedure
    .input(z.object({ workspaceId: z.string().min(1) }))
    .output(workspaceIdSchema)
    .mutation(async ({ ctx, input }) => {
      const member = await ctx.db.membership.findUnique({ where: { workspaceId_userId: { workspaceId: input.workspaceId, userId: ctx.userId } } });
      if (!member) throw new NotFoundError("workspace");
      await ctx.setWorkspace(input.workspaceId);
      return { workspaceId: input.workspaceId };
    }),
  rename: workspaceProcedure
    .input(z.object({ name: workspaceNameSchema }))
    .use(requirePermission("workspace.rename"))
    .output(z.object({ name: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const workspace = await renameWorkspace(ctx, input.name);
      return { name: workspace.name };
    }),
  members: workspaceProcedure
    .use(requirePermission("members.view"))
    .output(membersSchema)
    .query(({ ctx }) => listMembers(ctx)),
  /** Makes an invitation link; e-mails it when SMTP is set up (a failed e-mail is reported, the link still works). */
  invite: workspaceProcedure
    .input(inviteSchema)
    .use(manageMembers)
    .output(invitedSchema)
    .mutation(async ({ ctx, input }) => {
      const invitation = await inviteMember(ctx, input);
      const mail = await emailInvitation(ctx, invitation);
      return { id: invitation.id, token: invitation.token, expiresAt: invitation.expiresAt, ...mail };
    }),
  revokeInvitation: workspaceProcedure
    .input(z.object({ invitationId: z.string().min(1) }))
    .use(manageMembers)
    .output(revokedSchema)
    .mutation(({ ctx, input }) => revokeInvitation(ctx, input.invitationId)),
  /** Joins the workspace of an invitation meant for the signed-in user's email, and switches to it. */
  accept: protectedProcedure
    .input(z.object({ token: z.string().min(10).max(100) }))
    .output(workspaceIdSchema)
    .mutation(async ({ ctx, input }) => {
      const result = await acceptInvitation(ctx, input.token);
      await ctx.setWorkspace(result.workspaceId);
      return result;
    }),
  changeRole: workspaceProcedure
    .input(userId.extend({ role: z.enum(["admin", "editor", "viewer"], { error: "Role must be admin, editor or viewer" }) }))
    .use(manageMembers)
    .output(roleChangedSchema)
    .mutation(({ ctx, input }) => changeRole(ctx, input.userId, input.role)),
  removeMember: workspaceProcedure
    .input(userId)
    .use(manageMembers)
    .output(removedSchema)
    .mutation(({ ctx, input }) => removeMember(ctx, input.userId)),
  leave: workspaceProcedure.output(leftSchema).mutation(async ({ ctx }) => {
    const result = await leaveWorkspace(ctx);
    await ctx.setWorkspace(null);
    return result;
  }),
  transferOwnership: workspaceProcedure
    .input(userId)
    .use(requirePermission("workspace.transfer"))
    .output(ownerSchema)
    .mutation(({ ctx, input }) => transferOwnership(ctx, input.userId)),
  delete: workspaceProcedure
    .input(z.object({ confirmName: z.string().max(200) }))
    .use(requirePermission("workspace.delete"))
    .output(deletedSchema)
    .mutation(async ({ ctx, input }) => {
      const result = await deleteWorkspace(ctx, input.confirmName);
      await ctx.setWorkspace(null);
      return result;
    }),
  /** The workspace's quotas and how much of them is used (admins and the owner). */
  usage: workspaceProcedure
    .use(requirePermission("usage.view"))
    .output(quotaReportSchema)
    .query(({ ctx }) => quotaReport(ctx)),
  audit: workspaceProcedure
    .input(z.object({ before: rowCursorSchema.optional() }).optional())
    .use(requirePermission("audit.view"))
    .output(z.array(auditEntrySchema))
    .query(({ ctx, input }) => listAudit(ctx, { workspaceId: ctx.workspaceId, before: input?.before })),
});
