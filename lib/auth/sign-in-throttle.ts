import "server-only";
import { createHash } from "node:crypto";
import { createLimiter } from "@/lib/rate-limit/service/limiter";

// Online password guessing. Every sign-in takes a point from two counters
// BEFORE the password is checked, so parallel guesses cannot all slip in
// before the first failure is counted:
//  - per email and client address: 10 attempts per 15 minutes. Someone
//    guessing from one address locks out only that address, never the real
//    user elsewhere;
//  - per email across all addresses: a looser ceiling of 100 per 15 minutes,
//    against guessing spread over many addresses.
// A successful sign-in gives its point back and clears its email+address
// count. Unknown emails count the same way, so the answer never tells
// whether an account exists. The counters live in PostgreSQL (the shared
// rate_limits table), so every instance on one database shares them.

export const SIGN_IN_LIMITS = {
  perEmailAndAddress: { points: 10, windowSeconds: 15 * 60 },
  perEmail: { points: 100, windowSeconds: 15 * 60 },
} as const;

const byEmailAndAddress = createLimiter({
  keyPrefix: "sign-in:email+address",
  points: SIGN_IN_LIMITS.perEmailAndAddress.points,
  durationSeconds: SIGN_IN_LIMITS.perEmailAndAddress.windowSeconds,
});
const byEmail = createLimiter({
  keyPrefix: "sign-in:email",
  points: SIGN_IN_LIMITS.perEmail.points,
  durationSeconds: SIGN_IN_LIMITS.perEmail.windowSeconds,
});

// Hashed: the table holds no email addresses, and every key fits its column.
const digest = (...parts: string[]) => createHash("sha256").update(parts.join("\n")).digest("hex");
const normalise = (email: string) => email.trim().toLowerCase();

export type TSignInAttempt = {
  /** The password was right: give the point back and forget this address's failures. */
  succeeded(): Promise<void>;
  /** The password was never checked (e.g. the server was too busy): give the point back. */
  cancelled(): Promise<void>;
};

export type TTakeAttemptResult = { ok: true; attempt: TSignInAttempt } | { ok: false; retryAfterSeconds: number };

/** Takes one attempt for `email` from `address`; refused (with the wait) when either limit is used up. */
export async function takeSignInAttempt(email: string, address: string): Promise<TTakeAttemptResult> {
  const emailKey = digest(normalise(email));
  const pairKey = digest(normalise(email), address);
  const pair = await byEmailAndAddress.consume(pairKey);
  if (!pair.allowed) return { ok: false, retryAfterSeconds: pair.retryAfterSeconds };
  const ceiling = await byEmail.consume(emailKey);
  if (!ceiling.allowed) {
    // Not attempted: this address's own count should not pay for the ceiling.
    await byEmailAndAddress.refund(pairKey);
    return { ok: false, retryAfterSeconds: ceiling.retryAfterSeconds };
  }
  return {
    ok: true,
    attempt: {
      async succeeded() {
        await Promise.all([byEmailAndAddress.reset(pairKey), byEmail.refund(emailKey)]);
      },
      async cancelled() {
        await Promise.all([byEmailAndAddress.refund(pairKey), byEmail.refund(emailKey)]);
      },
    },
  };
}
