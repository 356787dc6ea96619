"use client";
import Link from "next/link";
import { useActionState } from "react";
import { ErrorLine } from "../_components/error-line";
import { Field, Input } from "../_components/field";
import type { FormState } from "./actions";

type Props = { mode: "sign-in" | "sign-up"; action: (state: FormState, form: FormData) => Promise<FormState>; next?: string };

export function AuthForm({ mode, action, next }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const signUp = mode === "sign-up";
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-6">
      <h1 className="mb-1 text-3xl font-bold tracking-tight">Aura</h1>
      <p className="mb-8 text-slate-600">{signUp ? "Create your account." : "Sign in to turn briefs into videos."}</p>
      <form action={formAction} className="space-y-4" noValidate>
        {next ? <input type="hidden" name="next" value={next} /> : null}
        {signUp ? (
          <Field label="Name" name="name" error={state.fields?.name}>
            <Input name="name" autoComplete="name" defaultValue={state.values?.name} required />
          </Field>
        ) : null}
        <Field label="Email" name="email" error={state.fields?.email}>
          <Input name="email" type="email" autoComplete="email" defaultValue={state.values?.email} required />
        </Field>
        <Field label="Password" name="password" error={state.fields?.password}>
          <Input name="password" type="password" autoComplete={signUp ? "new-password" : "current-password"} required minLength={signUp ? 8 : 1} />
        </Field>
        {state.error ? <ErrorLine boxed>{state.error}</ErrorLine> : null}
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60"
        >
          {pending ? "Please wait…" : signUp ? "Create account" : "Sign in"}
        </button>
      </form>
      <p className="mt-6 text-sm text-slate-600">
        {signUp ? "Already have an account? " : "New to Aura? "}
        <Link
          className="font-medium text-sky-700 hover:underline"
          href={`${signUp ? "/sign-in" : "/sign-up"}${next ? `?next=${encodeURIComponent(next)}` : ""}`}
        >
          {signUp ? "Sign in" : "Create an account"}
        </Link>
      </p>
    </main>
  );
}
