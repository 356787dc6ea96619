// Accounts: sign-up (which creates the user's personal workspace), credential checks with
// rate-limited failures, and the site admin created from the environment on first start.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { clientAddress, type TrustedProxies } from "../lib/client-address.ts";
import type { DbContext } from "../lib/service-context.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { textField } from "../text/policy.ts";

export const emailSchema = z.string({ error: "Email is required" }).trim().toLowerCase().pipe(z.email("Email must be a valid email address"));

export const signUpSchema = z.object({
  name: textField("Name", { min: 1, max: 100 }),
  email: emailSchema,
  password: z.string({ error: "Password is required" }).min(8, "Password must be at least 8 characters").max(200, "Password must be at most 200 characters"),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Password is required" }).min(1, "Password is required").max(200),
});

export class EmailTakenError extends Error {
  readonly field = "email";
  constructor() {
    super("An account with this email already exists");
  }
}

function slugFor(name: string) {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 30) || "workspace";
  return `${base}-${randomBytes(3).toString("hex")}`;
}

export async function createUserWithWorkspace({ db }: DbContext, input: z.infer<typeof signUpSchema> & { isSiteAdmin?: boolean }) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { name: input.name, email: input.email, passwordHash, isSiteAdmin: input.isSiteAdmin ?? false } });
      const workspace = await tx.workspace.create({
        data: { name: `${input.name}'s workspace`, slug: slugFor(input.name), personal: true, memberships: { create: { userId: user.id, role: "owner" } } },
      });
      return { user, workspace };
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new EmailTakenError();
    throw error;
  }
}

export type CredentialCheck =
  | { ok: true; user: { id: string; email: string; name: string | null } }
  | { ok: false; reason: "invalid" | "rate_limited" | "disabled" };

type SignInLimits = { maxFailures: number; windowMinutes: number };

/** Checks an email and password. After SIGNIN_MAX_FAILURES failures within the window (per
 *  email since its last success, or 4× that per client address), further tries are refused
 *  without looking at the password. Whether the email has an account changes neither the answer
 *  nor the work: an unknown email costs one bcrypt comparison like a wrong password, and a
 *  disabled account says so only to the right password. */
export async function checkCredentials(db: Db, input: { email: string; password: string; ip: string }, limits: SignInLimits): Promise<CredentialCheck> {
  const since = new Date(Date.now() - limits.windowMinutes * 60_000);
  const lastSuccess = await db.signInAttempt.findFirst({
    where: { email: input.email, succeeded: true },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  const from = lastSuccess && lastSuccess.createdAt > since ? lastSuccess.createdAt : since;
  const [byEmail, byIp] = await Promise.all([
    db.signInAttempt.count({ where: { email: input.email, succeeded: false, createdAt: { gt: from } } }),
    db.signInAttempt.count({ where: { ip: input.ip, succeeded: false, createdAt: { gt: since } } }),
  ]);
  if (byEmail >= limits.maxFailures || byIp >= limits.maxFailures * 4) return { ok: false, reason: "rate_limited" };

  const user = await db.user.findUnique({ where: { email: input.email } });
  const valid = await verifyPassword(input.password, user?.passwordHash);
  await db.signInAttempt.create({ data: { email: input.email, ip: input.ip, succeeded: valid } });
  if (!user || !valid) return { ok: false, reason: "invalid" };
  if (user.disabledAt) return { ok: false, reason: "disabled" };
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}

/** Sign-in as Auth.js's credentials provider calls it: the submitted fields and the request,
 *  whose client address is read by TRUSTED_PROXIES (server/lib/client-address.ts). */
export async function checkSignIn(
  db: Db,
  fields: unknown,
  request: Request,
  settings: SignInLimits & { trustedProxies: TrustedProxies },
): Promise<CredentialCheck> {
  const parsed = signInSchema.safeParse(fields);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  return checkCredentials(db, { ...parsed.data, ip: clientAddress(request, settings.trustedProxies) }, settings);
}

/** Creates the site admin named by AURA_ADMIN_EMAIL / AURA_ADMIN_PASSWORD if there is no
 *  such user yet; an existing user with that email is made a site admin. */
export async function ensureSiteAdmin(db: Db, email: string | undefined, password: string | undefined) {
  if (!email) return null;
  const address = emailSchema.parse(email);
  const existing = await db.user.findUnique({ where: { email: address } });
  if (existing) {
    if (!existing.isSiteAdmin) await db.user.update({ where: { id: existing.id }, data: { isSiteAdmin: true } });
    return existing.id;
  }
  if (!password || password.length < 8) throw new Error("AURA_ADMIN_PASSWORD must be set (at least 8 characters) to create the site admin");
  const { user } = await createUserWithWorkspace({ db }, { name: "Admin", email: address, password, isSiteAdmin: true });
  return user.id;
}
