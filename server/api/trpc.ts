// tRPC setup: context from the session, the workspace derived on the server, permissions
// checked in middleware, and the errors: each AppError becomes the tRPC error its code names
// in the one table (lib/errors.ts); internal messages never reach the client.
import { experimental_standaloneMiddleware, initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { auth } from "../auth/config.ts";
import { assertPermission, type Permission } from "../auth/permissions.ts";
import { cookies } from "next/headers";
import type { Role } from "../db/generated/enums.ts";
import { requireActiveMembership, WORKSPACE_COOKIE } from "../auth/workspace.ts";
import { getDb, type Db } from "../db/client.ts";
import { log } from "../lib/log.ts";
import { findUnusableText } from "../text/policy.ts";
import { fieldErrors } from "../videos/brief.ts";
import { AppError, ERROR_CODES } from "../lib/errors.ts";
import { INTERNAL_MESSAGE } from "./error-response.ts";

export type Context = {
  db: Db;
  session: { user?: { id?: string | null } | null } | null;
  headers: Headers;
  /** Chooses the active workspace for the next requests (a cookie); null forgets the choice. */
  setWorkspace: (workspaceId: string | null) => Promise<void>;
};

export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const session = await auth();
  return {
    db: getDb(),
    session,
    headers: opts.headers,
    async setWorkspace(workspaceId) {
      const jar = await cookies();
      if (workspaceId)
        jar.set(WORKSPACE_COOKIE, workspaceId, { httpOnly: true, sameSite: "lax", path: "/", secure: (process.env.AUTH_URL ?? "").startsWith("https:") });
      else jar.delete(WORKSPACE_COOKIE);
    },
  };
}

/** The active workspace the request asks for, from its cookie header. */
export function requestedWorkspace(headers: Headers) {
  const cookie = headers.get("cookie") ?? "";
  const match = new RegExp(`(?:^|;\\s*)${WORKSPACE_COOKIE}=([^;]+)`).exec(cookie);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null; // a malformed cookie chooses nothing: the user's own workspace answers
  }
}

/** A field's message that says which field it is about: the brief's own messages name their
 *  field already ("Topic must…"); a bare validator message gets the field's name in words first
 *  ("Job id: Too small…"), the last named part of its path, not the path. */
function namedMessage(path: string, message: string) {
  const name = path.split(".").findLast((part) => !/^\d+$/.test(part)) ?? "";
  const words = name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  if (!words || words === "form" || message.toLowerCase().includes(words)) return message;
  return `${words[0]!.toUpperCase()}${words.slice(1)}: ${message}`;
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      message: internal
        ? INTERNAL_MESSAGE
        : zod
          ? // Each message names its field in words (the path itself is in data.fieldErrors for the form).
            Object.entries(fieldErrors(zod))
              .map(([path, message]) => namedMessage(path, message))
              .join("; ")
          : shape.message,
      data: { ...shape.data, stack: undefined, fieldErrors: zod && !internal ? fieldErrors(zod) : null },
    };
  },
});

const mapErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError && cause.code !== "INTERNAL")
      result.error = new TRPCError({ code: ERROR_CODES[cause.code].trpc, message: cause.message, cause });
    else if (result.error.code === "INTERNAL_SERVER_ERROR") log.error("procedure failed", { path, error: result.error.cause?.message ?? result.error.message });
  }
  return result;
});

/** The text policy's first rule, for every field of every procedure at once: a string that
 *  can never be stored or drawn (NUL, a lone surrogate) is a 400 naming its field. */
const refuseUnusableText = t.middleware(async ({ next, getRawInput }) => {
  const found = findUnusableText(await getRawInput());
  if (found) throw new AppError("BAD_REQUEST", `${found.field}: ${found.reason}`);
  return next();
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapErrors).use(refuseUnusableText);

/** A session is present; the account is not read (a procedure that checks it its own way,
 *  as jobs.events does in one statement, builds on this). */
export const signedInProcedure = publicProcedure.use(({ ctx, next }) => {
  const userId = ctx.session?.user?.id;
  if (!userId) throw new AppError("UNAUTHORIZED", "Please sign in");
  return next({ ctx: { ...ctx, userId } });
});

export const protectedProcedure = signedInProcedure.use(async ({ ctx, next }) => {
  // Sessions are signed tokens: a user disabled since signing in is refused here, at once.
  const user = await ctx.db.user.findUnique({ where: { id: ctx.userId }, select: { disabledAt: true } });
  if (!user || user.disabledAt) throw new AppError("UNAUTHORIZED", "This account is disabled or no longer exists");
  return next();
});

/** protectedProcedure's account check and the active workspace (getActiveMembership's choice),
 *  read in one statement instead of three (requireActiveMembership), with their refusals. */
export const workspaceProcedure = signedInProcedure.use(async ({ ctx, next }) => {
  const membership = await requireActiveMembership(ctx.db, ctx.userId, requestedWorkspace(ctx.headers));
  return next({ ctx: { ...ctx, workspaceId: membership.workspaceId, role: membership.role } });
});

/** Middleware for a workspace procedure: refuses a role the permission table
 *  (auth/permissions.ts) does not allow. Placed after .input(), invalid input is reported
 *  before the role; the automation procedures place it first. */
export const requirePermission = (permission: Permission) =>
  experimental_standaloneMiddleware<{ ctx: { role: Role } }>().create(({ ctx, next }) => {
    assertPermission(ctx.role, permission);
    return next();
  });
