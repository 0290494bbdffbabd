import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { ZSignInInput } from "@/lib/accounts/schemas";
import { verifySignIn } from "@/lib/accounts/service/sign-in";
import { authCookies } from "@/lib/auth/cookies";
import { authSecret } from "@/lib/auth/secret";
import { SIGN_IN_THROTTLED } from "@/lib/auth/sign-in-errors";
import { clearSignInFailures, isSignInThrottled, recordSignInFailure } from "@/lib/auth/sign-in-throttle";

// Built on first use, not at import: the secret may live in the data
// directory, which `next build` must never create.
let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  return (options ??= {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login" },
    cookies: authCookies(), // __Host- names when the public URL is https
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          const parsed = ZSignInInput.safeParse(credentials);
          if (!parsed.success) return null;
          const { email, password } = parsed.data;
          // Thrown, not null: next-auth passes the message to the form, which explains the wait.
          if (await isSignInThrottled(email)) throw new Error(SIGN_IN_THROTTLED);
          const operator = await verifySignIn(email, password);
          if (!operator) {
            await recordSignInFailure(email);
            return null;
          }
          await clearSignInFailures(email);
          return { id: operator.userId, email: operator.email, name: operator.name };
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
