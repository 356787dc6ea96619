// What the workspaces procedures return.
import { z } from "zod";
import { Role } from "../../db/generated/enums.ts";
import type { listAudit } from "../../audit/log.ts";
import type { quotaReport } from "../../quotas/service.ts";
import type { spendReport } from "../../quotas/spend.ts";
import type {
  acceptInvitation,
  changeRole,
  deleteWorkspace,
  leaveWorkspace,
  listMembers,
  listMyWorkspaces,
  removeMember,
  revokeInvitation,
  transferOwnership,
} from "../../workspaces/service.ts";
import { type deletedSchema, jsonValue, type removedSchema, type revokedSchema, type Expect, type Returned, type Same } from "./common.ts";

export const roleSchema = z.enum(Role);
const memberRole = z.enum(["admin", "editor", "viewer"]);

export const myWorkspacesSchema = z.object({
  active: z.string(),
  workspaces: z.array(z.object({ id: z.string(), name: z.string(), personal: z.boolean(), role: roleSchema, members: z.number() })),
});
export const workspaceIdSchema = z.object({ workspaceId: z.string() });
export const membersSchema = z.object({
  members: z.array(z.object({ userId: z.string(), email: z.string(), name: z.string().nullable(), role: roleSchema, joinedAt: z.date() })),
  invitations: z.array(z.object({ id: z.string(), email: z.string(), role: roleSchema, token: z.string(), expiresAt: z.date() })),
});
export const invitedSchema = z.object({ id: z.string(), token: z.string(), expiresAt: z.date(), emailed: z.boolean(), emailError: z.string().nullable() });
export const roleChangedSchema = z.object({ userId: z.string(), role: memberRole });
export const leftSchema = z.object({ left: z.boolean() });
export const ownerSchema = z.object({ ownerId: z.string() });

const limit = z.number().nullable();
export const quotaReportSchema = z.object({
  limits: z.object({ concurrentJobs: limit, videosPerDay: limit, minutesPerMonth: limit, maxLengthSec: limit }),
  usage: z.object({ activeJobs: z.number(), videosToday: z.number(), minutesThisMonth: z.number() }),
});

/** The monthly AI spend limit (dollars, estimated) against this month's use. */
export const spendReportSchema = z.object({
  limitUsd: z.number().nullable().describe("null: no limit"),
  usedUsd: z.number(),
  leftUsd: z.number().nullable(),
  monthStart: z.date(),
});

/** A limit as a workspace admin sets it: dollars and cents, or null for none. */
export const spendLimitInputSchema = z.object({
  limitUsd: z
    .number({ error: "limitUsd must be a number of dollars" })
    .min(0, "limitUsd cannot be negative")
    .max(1_000_000, "limitUsd must be at most 1000000")
    .transform((v) => Math.round(v * 100) / 100)
    .nullable(),
});

export const auditEntrySchema = z.object({
  id: z.string(),
  workspaceId: z.string().nullable(),
  actor: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  data: jsonValue,
  createdAt: z.date(),
});

export type WorkspaceSchemaChecks = [
  Expect<Same<z.output<typeof myWorkspacesSchema>["workspaces"], Returned<typeof listMyWorkspaces>>>,
  Expect<Same<z.output<typeof membersSchema>, Returned<typeof listMembers>>>,
  Expect<Same<z.output<typeof quotaReportSchema>, Returned<typeof quotaReport>>>,
  Expect<Same<z.output<typeof spendReportSchema>, Returned<typeof spendReport>>>,
  Expect<Same<z.output<typeof auditEntrySchema>[], Returned<typeof listAudit>>>,
  Expect<Same<z.output<typeof workspaceIdSchema>, Returned<typeof acceptInvitation>>>,
  Expect<Same<z.output<typeof roleChangedSchema>, Returned<typeof changeRole>>>,
  Expect<Same<z.output<typeof removedSchema>, Returned<typeof removeMember>>>,
  Expect<Same<z.output<typeof revokedSchema>, Returned<typeof revokeInvitation>>>,
  Expect<Same<z.output<typeof leftSchema>, Returned<typeof leaveWorkspace>>>,
  Expect<Same<z.output<typeof ownerSchema>, Returned<typeof transferOwnership>>>,
  Expect<Same<z.output<typeof deletedSchema>, Returned<typeof deleteWorkspace>>>,
];
