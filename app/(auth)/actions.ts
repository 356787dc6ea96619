"use server";
import { AuthError } from "next-auth";
import { createUserWithWorkspace, EmailTakenError, signInSchema, signUpSchema } from "@/server/auth/accounts";
import { signIn, signOut } from "@/server/auth/config";
import { safeNext } from "@/server/auth/next-path";
import { getUnscopedContext } from "@/server/api/route-context";
import { fieldErrors } from "@/server/videos/brief";

export type FormState = { error?: string; fields?: Record<string, string>; values?: Record<string, string> };

const MESSAGES: Record<string, string> = {
  invalid_credentials: "Wrong email or password.",
  rate_limited: "Too many failed sign-in attempts. Wait 15 minutes and try again.",
  disabled: "This account is disabled. Contact your administrator.",
};

async function signInOrMessage(email: string, password: string, values: Record<string, string>, next = "/videos"): Promise<FormState> {
  try {
    await signIn("credentials", { email, password, redirectTo: next });
    return {};
  } catch (error) {
    // A successful sign-in redirects by throwing; only Auth.js errors are failures.
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code ?? "invalid_credentials";
      return { error: MESSAGES[code] ?? MESSAGES.invalid_credentials, values };
    }
    throw error;
  }
}

export async function signInAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = { email: String(form.get("email") ?? "") };
  const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password") });
  if (!parsed.success) return { fields: fieldErrors(parsed.error), values };
  return signInOrMessage(parsed.data.email, parsed.data.password, values, safeNext(form.get("next")));
}

export async function signUpAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? "") };
  const parsed = signUpSchema.safeParse({ name: form.get("name"), email: form.get("email"), password: form.get("password") });
  if (!parsed.success) return { fields: fieldErrors(parsed.error), values };
  try {
    await createUserWithWorkspace(getUnscopedContext(), parsed.data);
  } catch (error) {
    if (error instanceof EmailTakenError) return { fields: { email: error.message }, values };
    throw error;
  }
  return signInOrMessage(parsed.data.email, parsed.data.password, values, safeNext(form.get("next")));
}

export async function signOutAction() {
  await signOut({ redirectTo: "/sign-in" });
}
