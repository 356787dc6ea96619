// What each workspace role may do, and what each API key scope lets a key do, in one place.
// tRPC procedures check it in middleware (requirePermission in server/api/trpc.ts), the REST
// API by the key's scopes (server/api/rest/handler.ts), pages to show or hide controls.
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
  "library.view": ["owner", "admin", "editor", "viewer"],
  /** Add media, rename and tag any item, delete one's own. */
  "library.upload": ["owner", "admin", "editor"],
  /** Delete another member's media. */
  "library.manage": ["owner", "admin"],
  "brand.view": ["owner", "admin", "editor", "viewer"],
  /** Change the brand kit: its logo, colours, font, clips and music. */
  "brand.manage": ["owner", "admin"],
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

/** The permissions each API key scope grants (the REST API's routes each need one). */
export const SCOPE_PERMISSIONS = {
  "videos:read": ["video.view"],
  "videos:write": ["video.create", "job.cancel"],
  "library:read": ["library.view"],
  "library:write": ["library.upload"],
  "brand:read": ["brand.view"],
  "brand:write": ["brand.manage"],
} as const satisfies Record<string, readonly Permission[]>;

export type ApiScope = keyof typeof SCOPE_PERMISSIONS;
export const API_SCOPES = Object.keys(SCOPE_PERMISSIONS) as [ApiScope, ...ApiScope[]];

/** Throws FORBIDDEN naming the scope a key needs when none of its scopes grants the permission. */
export function assertScope(scopes: readonly ApiScope[], permission: Permission) {
  const grants = (scope: ApiScope) => (SCOPE_PERMISSIONS[scope] as readonly Permission[]).includes(permission);
  if (!scopes.some(grants)) throw new ForbiddenError(`This API key lacks the ${API_SCOPES.find(grants) ?? permission} scope`);
}
