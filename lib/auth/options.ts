import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { ZSignInInput } from "@/lib/accounts/schemas";
import { authorizeSignIn } from "@/lib/auth/authorize-sign-in";
import { clientAddress } from "@/lib/auth/client-address";
import { nextAuthLogger } from "@/lib/auth/next-auth-logger";
import { authSecret } from "@/lib/auth/secret";
import { SIGN_IN_BUSY, throttledError } from "@/lib/auth/sign-in-errors";

// Built on first use, not at import: the secret may live in the data
// directory, which `next build` must never create.
let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  return (options ??= {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login" },
    logger: nextAuthLogger,
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = ZSignInInput.safeParse(credentials);
          if (!parsed.success) return null;
          const outcome = await authorizeSignIn({ ...parsed.data, clientAddress: clientAddress(req.headers ?? {}) });
          if (outcome.ok) return { id: outcome.operator.userId, email: outcome.operator.email, name: outcome.operator.name };
          // Thrown, not null: next-auth passes the message to the form, which explains the wait.
          if (outcome.code === "throttled") throw new Error(throttledError(outcome.retryAfterSeconds));
          if (outcome.code === "busy") throw new Error(SIGN_IN_BUSY);
          return null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
  });
}
