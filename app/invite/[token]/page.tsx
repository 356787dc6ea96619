// An invitation link: who invites to which workspace with which role; accept when signed in
// with the invited email, or sign in / sign up first and come back here.
import Link from "next/link";
import { auth } from "@/server/auth/config";
import { getUnscopedContext } from "@/server/api/route-context";
import { describeInvitation } from "@/server/workspaces/service";
import { AcceptInvitation } from "./accept";

export const dynamic = "force-dynamic";

const STATES = {
  invalid: "This invitation link is not valid.",
  revoked: "This invitation was revoked.",
  accepted: "This invitation was already used.",
  expired: "This invitation has expired. Ask for a new one.",
};

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await describeInvitation(getUnscopedContext(), token);
  const session = await auth();
  const here = `/invite/${token}`;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-4 px-6">
      <h1 className="text-3xl font-bold tracking-tight">Aura</h1>
      {invitation.state !== "open" ? (
        <p role="alert" className="text-slate-700" data-testid="invitation-state">
          {STATES[invitation.state]}
        </p>
      ) : (
        <>
          <p className="text-slate-700" data-testid="invitation-summary">
            You are invited to join <strong>{invitation.workspace}</strong> as {invitation.role === "admin" ? "an" : "a"} <strong>{invitation.role}</strong>.
          </p>
          {session?.user?.id ? (
            <AcceptInvitation token={token} />
          ) : (
            <p className="text-sm text-slate-600">
              The invitation is for {invitation.email}.{" "}
              <Link className="font-medium text-sky-700 underline" href={`/sign-up?next=${encodeURIComponent(here)}`}>
                Create an account
              </Link>{" "}
              or{" "}
              <Link className="font-medium text-sky-700 underline" href={`/sign-in?next=${encodeURIComponent(here)}`}>
                sign in
              </Link>{" "}
              with that email to accept.
            </p>
          )}
        </>
      )}
    </main>
  );
}
