import { redirect } from "next/navigation";
import { auth } from "@/server/auth/config";
import { signInAction } from "../actions";
import { AuthForm } from "../auth-form";

export const dynamic = "force-dynamic";

export default async function SignInPage() {
  if ((await auth())?.user?.id) redirect("/videos");
  return <AuthForm mode="sign-in" action={signInAction} />;
}
