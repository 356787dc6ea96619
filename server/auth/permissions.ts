// What each workspace role may do, in one place.
import type { Role } from "../db/generated/enums.ts";
import { ForbiddenError } from "../lib/errors.ts";

export const PERMISSIONS = {
  "video.view": ["owner", "admin", "editor", "viewer"],
  "video.create": ["owner", "admin", "editor"],
  "job.cancel": ["owner", "admin", "editor"],
  "job.retry": ["owner", "admin", "editor"],
  "video.edit": ["owner", "admin", "editor"],
  "script.review": ["owner", "admin", "editor"],
  "settings.manage": ["owner", "admin"],
  "knowledge.view": ["owner", "admin", "editor", "viewer"],
  "knowledge.manage": ["owner", "admin", "editor"],
  "share.manage": ["owner", "admin", "editor"],
  "members.view": ["owner", "admin", "editor", "viewer"],
  "members.manage": ["owner", "admin"],
  "workspace.rename": ["owner", "admin"],
  "audit.view": ["owner", "admin"],
  "usage.view": ["owner", "admin"],
  "automation.manage": ["owner", "admin"],
  "workspace.transfer": ["owner"],
  "workspace.delete": ["owner"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission) {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Throws FORBIDDEN naming the role and the action (the permission's words unless given). */
export function assertPermission(role: Role, permission: Permission, action = permission.replace(".", " ")) {
  if (!can(role, permission)) throw new ForbiddenError(`Your role (${role}) may not ${action}`);
}
