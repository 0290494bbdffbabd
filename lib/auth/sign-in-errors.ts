import { describeWait } from "@/lib/accounts/result";

// Client-safe: the errors next-auth hands back to the login form, which
// explains them (lib/auth/options.ts throws them from authorize()).
export const SIGN_IN_THROTTLED = "sign_in_throttled";
export const SIGN_IN_BUSY = "sign_in_busy";

/** "sign_in_throttled:840" carries the wait in seconds. */
export function throttledError(retryAfterSeconds: number): string {
  return `${SIGN_IN_THROTTLED}:${Math.max(1, Math.ceil(retryAfterSeconds))}`;
}

/** The sign-in form's words for an error next-auth returned. */
export function signInErrorMessage(error: string): string {
  if (error === SIGN_IN_BUSY) return "The server is busy checking other sign-ins. Try again in a moment.";
  const throttled = new RegExp(`^${SIGN_IN_THROTTLED}:(\\d+)$`).exec(error);
  if (throttled) return `Too many failed sign-ins for this email. Try again in ${describeWait(Number(throttled[1]))}.`;
  return "That email and password do not match an account. Check both and try again.";
}
