import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { ZSignInInput } from "@/lib/accounts/schemas";
import { authCookies } from "@/lib/auth/cookies";
import { isSessionCurrent } from "@/lib/accounts/service/sessions";
import { authorizeSignIn } from "@/lib/auth/authorize-sign-in";
import { clientAddress } from "@/lib/auth/client-address";
import { nextAuthLogger } from "@/lib/auth/next-auth-logger";
import { authSecret } from "@/lib/auth/secret";
import { SESSION_MAX_AGE_SECONDS, sessionEnd } from "@/lib/auth/session-policy";
import { SIGN_IN_BUSY, throttledError } from "@/lib/auth/sign-in-errors";

// Built on first use, not at import: the secret may live in the data
// directory, which `next build` must never create.
let options: NextAuthOptions | undefined;

/** Thrown from the jwt callback: next-auth then clears the cookie and the request has no session. */
class SessionEndedError extends Error {
  constructor(reason: string) {
    super(`session ${reason}`);
    this.name = "SessionEnded";
  }
}

export function authOptions(): NextAuthOptions {
  return (options ??= {
    secret: authSecret(),
    // next-auth re-issues the token on every session update, so its maxAge
    // alone would slide; the absolute lifetime is enforced from `authAt`.
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login" },
    cookies: authCookies(), // __Host- names when the public URL is https
    logger: nextAuthLogger,
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = ZSignInInput.safeParse(credentials);
          if (!parsed.success) return null;
          const outcome = await authorizeSignIn({ ...parsed.data, clientAddress: clientAddress(req.headers ?? {}) });
          if (outcome.ok) {
            const { userId, email, name, sessionVersion } = outcome.operator;
            return { id: userId, email, name, sessionVersion };
          }
          // Thrown, not null: next-auth passes the message to the form, which explains the wait.
          if (outcome.code === "throttled") throw new Error(throttledError(outcome.retryAfterSeconds));
          if (outcome.code === "busy") throw new Error(SIGN_IN_BUSY);
          return null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user, trigger }) {
        const now = Date.now();
        if (user) return { ...token, uid: user.id, sv: user.sessionVersion, authAt: now, activeAt: now };
        const ended = sessionEnd(token, now);
        if (ended) throw new SessionEndedError(ended);
        // The browser reports activity (components/auth/session-activity.tsx) as a
        // session update: only a session that has not been ended moves its idle clock.
        if (trigger === "update") {
          if (!(await isSessionCurrent(token.uid!, token.sv!))) throw new SessionEndedError("revoked");
          return { ...token, activeAt: now };
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        if (typeof token.sv === "number") session.sessionVersion = token.sv;
        return session;
      },
    },
  });
}
