// Auth.js (next-auth v5): email + password credentials, JWT sessions. The config is built
// per request so that `next build` needs no database or secret.
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { getDb } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { log } from "../lib/log.ts";
import { checkSignIn } from "./accounts.ts";

class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}
class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
}
class AccountDisabled extends CredentialsSignin {
  code = "disabled";
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const env = getEnv();
  return {
    adapter: PrismaAdapter(getDb()),
    secret: env.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
    pages: { signIn: "/sign-in" },
    // A wrong password is an expected outcome (recorded in SignInAttempt), not a server error.
    logger: {
      error(error) {
        if (error instanceof CredentialsSignin) return;
        // Auth.js wraps what authorize throws (such as an unknown client address) as the cause.
        const cause = (error.cause as { err?: unknown } | undefined)?.err;
        log.error("auth error", { error: error.message, name: error.name, ...(cause instanceof Error ? { cause: cause.message } : {}) });
      },
      warn: (code) => log.warn("auth warning", { code }),
    },
    providers: [
      Credentials({
        credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          const result = await checkSignIn(getDb(), credentials, request, {
            maxFailures: env.SIGNIN_MAX_FAILURES,
            windowMinutes: env.SIGNIN_WINDOW_MINUTES,
            trustedProxies: env.TRUSTED_PROXIES,
          });
          if (result.ok) return result.user;
          if (result.reason === "rate_limited") throw new TooManyAttempts();
          if (result.reason === "disabled") throw new AccountDisabled();
          throw new InvalidCredentials();
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user?.id) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.uid) session.user.id = token.uid as string;
        return session;
      },
    },
  };
});
