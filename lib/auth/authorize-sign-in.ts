import "server-only";
import { verifySignIn, type TSignedIn } from "@/lib/accounts/service/sign-in";
import { HashQueueFullError } from "@/lib/auth/hash-slots";
import { takeSignInAttempt } from "@/lib/auth/sign-in-throttle";

export type TSignInOutcome =
  | { ok: true; operator: TSignedIn }
  | { ok: false; code: "invalid_credentials" }
  | { ok: false; code: "throttled"; retryAfterSeconds: number }
  | { ok: false; code: "busy" };

export type TAuthorizeSignInOptions = {
  email: string;
  password: string;
  /** From clientAddress(): the address (or IPv6 /64) the attempt is counted under. */
  clientAddress: string;
  /** The password check; tests pass a wrapper that counts the checks. */
  verify?: (email: string, password: string) => Promise<TSignedIn | null>;
};

/**
 * One sign-in attempt: counted first (lib/auth/sign-in-throttle.ts), then the
 * password is checked in a hash slot (lib/auth/hash-slots.ts). A refused
 * attempt costs the server one small query and no hashing.
 */
export async function authorizeSignIn({ email, password, clientAddress, verify = verifySignIn }: TAuthorizeSignInOptions): Promise<TSignInOutcome> {
  const taken = await takeSignInAttempt(email, clientAddress);
  if (!taken.ok) return { ok: false, code: "throttled", retryAfterSeconds: taken.retryAfterSeconds };
  let operator: TSignedIn | null;
  try {
    operator = await verify(email, password);
  } catch (err) {
    if (!(err instanceof HashQueueFullError)) throw err;
    await taken.attempt.cancelled();
    return { ok: false, code: "busy" };
  }
  if (!operator) return { ok: false, code: "invalid_credentials" };
  await taken.attempt.succeeded();
  return { ok: true, operator };
}
