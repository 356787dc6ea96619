import { redirect } from "next/navigation";
import { auth } from "@/server/auth/config";
import { safeNext } from "@/server/auth/next-path";
import { signInAction } from "../actions";
import { AuthForm } from "../auth-form";

export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeNext((await searchParams).next);
  if ((await auth())?.user?.id) redirect(next);
  return <AuthForm mode="sign-in" action={signInAction} next={next === "/videos" ? undefined : next} />;
}
