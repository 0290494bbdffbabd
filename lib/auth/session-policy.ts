import "server-only";
import { env } from "@/lib/env";

// How long a session lives. Two clocks, both in the session token:
//  - absolute: SESSION_MAX_AGE_SECONDS after sign-in (`authAt`), whatever happens;
//  - idle: SWITCHBOARD_SESSION_IDLE_MINUTES after the last activity (`activeAt`),
//    which the browser reports while the operator clicks or types
//    (components/auth/session-activity.tsx). Pages refreshing themselves do not count.
// A third check, the session version, needs the database and runs in
// currentOperator's query (lib/accounts/service/sign-in.ts).

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export type TSessionClaims = { uid?: unknown; sv?: unknown; authAt?: unknown; activeAt?: unknown };
export type TSessionEnd = "malformed" | "expired" | "idle";

export function idleTimeoutMs(): number {
  return env().SWITCHBOARD_SESSION_IDLE_MINUTES * 60_000;
}

/** Why a session token may no longer be used at `now` (ms), or null while it may. */
export function sessionEnd(claims: TSessionClaims, now: number, idleMs: number = idleTimeoutMs()): TSessionEnd | null {
  const { uid, sv, authAt, activeAt } = claims;
  if (typeof uid !== "string" || typeof sv !== "number" || typeof authAt !== "number" || typeof activeAt !== "number") return "malformed";
  if (now - authAt > SESSION_MAX_AGE_SECONDS * 1000 || authAt > now + 60_000) return "expired";
  if (now - activeAt > idleMs) return "idle";
  return null;
}

/** How often the browser may report activity: often enough that the idle clock never runs out under an active operator. */
export function activityPingSeconds(): number {
  return Math.max(5, Math.min(60, Math.floor(idleTimeoutMs() / 4000)));
}
