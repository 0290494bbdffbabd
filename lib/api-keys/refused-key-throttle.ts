import "server-only";
import { createHash } from "node:crypto";
import { env } from "@/lib/env";
import { createLimiter, type TLimiter } from "@/lib/rate-limit/service/limiter";

// Key guessing. Every refused API key (unknown, malformed, revoked, expired)
// counts against the client's address; once an address has used up its
// budget, its requests are refused with 429 BEFORE the key is hashed or
// looked up — a valid key included, until the window ends. Valid keys never
// spend the budget, so busy scripts behind one NAT are not throttled by
// their own successful calls. The counts live in PostgreSQL (the shared
// rate_limits table): every instance sees the same ones.

const state = globalThis as typeof globalThis & { __switchboardRefusedKeys?: { points: number; limiter: TLimiter } };

function limiter(): TLimiter {
  const points = env().SWITCHBOARD_API_REFUSED_KEYS_PER_MINUTE;
  if (state.__switchboardRefusedKeys?.points !== points) {
    state.__switchboardRefusedKeys = { points, limiter: createLimiter({ keyPrefix: "api-key-refused:address", points, durationSeconds: 60 }) };
  }
  return state.__switchboardRefusedKeys.limiter;
}

// Hashed: the table holds no client addresses.
const keyOf = (address: string) => createHash("sha256").update(address).digest("hex");

/** Null while `address` may still present keys; otherwise the seconds to wait. */
export async function refusedKeyWait(address: string): Promise<number | null> {
  const key = keyOf(address);
  const l = limiter();
  if ((await l.used(key)) < env().SWITCHBOARD_API_REFUSED_KEYS_PER_MINUTE) return null;
  // Over budget already: consume is refused and says how long the window still runs.
  const res = await l.consume(key);
  return res.allowed ? null : res.retryAfterSeconds;
}

/** Counts one refused key against `address`. */
export async function countRefusedKey(address: string): Promise<void> {
  await limiter().consume(keyOf(address));
}
