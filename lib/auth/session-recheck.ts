import "server-only";
import { cookies } from "next/headers";
import { getToken } from "next-auth/jwt";
import { authCookies } from "@/lib/auth/cookies";
import { authSecret } from "@/lib/auth/secret";
import { currentOperator } from "@/lib/auth/session";
import { sessionEnd } from "@/lib/auth/session-policy";
import { loadOperator, type TOperator } from "@/lib/accounts/service/sign-in";

// For a response that outlives its request (the live-status stream): the
// signed-in operator, plus a re-check of the very session that opened it.
// The re-check is the pages' check (currentOperator) on the claims the stream
// was opened with: the idle and absolute clocks (lib/auth/session-policy.ts),
// then the session version and membership in one query. The browser's
// activity moves the idle clock in its cookie, not in an open stream's copy:
// a stream past that copy's idle limit ends and the browser reopens it with
// its current cookie (checked again at the door).

export type TOperatorSession = { operator: TOperator; isStillValid: () => Promise<boolean> };

export async function currentOperatorSession(): Promise<TOperatorSession | null> {
  const operator = await currentOperator();
  if (!operator) return null;
  // The session cookie only (getToken would also take an Authorization header).
  const claims = await getToken({
    req: { cookies: await cookies(), headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    cookieName: authCookies().sessionToken.name,
    secret: authSecret(),
  });
  if (!claims || claims.uid !== operator.userId || typeof claims.sv !== "number") return null;
  const sessionVersion = claims.sv;
  return {
    operator,
    async isStillValid() {
      if (sessionEnd(claims, Date.now()) !== null) return false;
      const now = await loadOperator(operator.userId, sessionVersion);
      return now !== null && now.orgId === operator.orgId;
    },
  };
}
