import "server-only";
import { RateLimiterMemory } from "rate-limiter-flexible";

// Online password guessing: after SIGN_IN_FAILURES_ALLOWED failed sign-ins for
// one email within the window, that email is refused until the window ends
// (a success clears the count). Unknown emails count the same way, so the
// answer never tells whether an account exists. Per server process: several
// instances each keep their own count.

export const SIGN_IN_FAILURES_ALLOWED = 10;
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;

const state = globalThis as typeof globalThis & { __switchboardSignInLimiter?: RateLimiterMemory };
const limiter = (state.__switchboardSignInLimiter ??= new RateLimiterMemory({
  keyPrefix: "sign-in",
  points: SIGN_IN_FAILURES_ALLOWED,
  duration: SIGN_IN_WINDOW_SECONDS,
}));

const keyOf = (email: string) => email.trim().toLowerCase();

export async function isSignInThrottled(email: string): Promise<boolean> {
  const res = await limiter.get(keyOf(email));
  return res !== null && res.consumedPoints >= SIGN_IN_FAILURES_ALLOWED;
}

export async function recordSignInFailure(email: string): Promise<void> {
  await limiter.penalty(keyOf(email), 1);
}

export async function clearSignInFailures(email: string): Promise<void> {
  await limiter.delete(keyOf(email));
}
