import "server-only";
import { apiKeyCache } from "@/lib/cache/caches";
import { MESSAGES, type TApiError } from "@/lib/admin-api/errors";
import { keyFormatProblem } from "@/lib/api-keys/key-format";
import { countRefusedKey, refusedKeyWait } from "@/lib/api-keys/refused-key-throttle";
import { clientAddress } from "@/lib/auth/client-address";
import { candidateHashes } from "@/lib/api-keys/pepper";
import { presentedKeyOf } from "@/lib/api-keys/request-key";
import { authenticateApiKey, type TAuthResult } from "@/lib/api-keys/service/authenticate-api-key";
import type { TApiPrincipal } from "@/lib/api-keys/types";
import { env } from "@/lib/env";
import { noteApiKeyUse } from "@/lib/integrations/service/read-accounting";
import { createLimiter } from "@/lib/rate-limit/service/limiter";
import { createLocalBudget, type TLocalBudget } from "@/lib/rate-limit/service/local-budget";

// Every consumer API call: key (401) → scope (403) → rate limit (429), before
// any work the call asks for. A key that is not in the key cache first passes
// the address's refused-key budget (429, shared with the admin API) before it
// is hashed or looked up; a cached (already verified) key skips it. The hot path touches no database: verified keys
// come from the key cache (lib/cache; revocation empties it), the rate limit
// is spent locally and settled with the shared PostgreSQL limiter in batches
// (local-budget.ts), and the key's last-used time is batched by the read
// accounting.

export type TGuardResult = { ok: true; principal: TApiPrincipal } | { ok: false; error: TApiError; headers: Record<string, string> };

const UNAUTHORIZED = { "WWW-Authenticate": "Bearer" };
/** Longer input is malformed anyway; hashing it whole would let a caller make us hash megabytes. */
const MAX_HASHED_LENGTH = 256;

/** A verified key from the key cache (undefined on a miss: the key must be looked up). Never touches the database. */
function cachedKey(presented: string): TAuthResult | undefined {
  if (keyFormatProblem(presented)) return undefined;
  const hit = apiKeyCache().get(candidateHashes(presented.slice(0, MAX_HASHED_LENGTH))[0]!);
  if (!hit) return undefined;
  const expiresAt = hit.principal.expiresAt;
  return expiresAt !== null && Date.parse(expiresAt) <= Date.now() ? { ok: false, reason: "expired" } : { ok: true, principal: hit.principal };
}

/** A presented key → its principal: looked up (format, HMAC, database), and cached when valid. */
async function lookUpKey(presented: string): Promise<TAuthResult> {
  const problem = keyFormatProblem(presented);
  if (problem) return { ok: false, reason: problem };
  const id = candidateHashes(presented.slice(0, MAX_HASHED_LENGTH))[0]!;
  const cache = apiKeyCache();
  const ticket = cache.ticket();
  const auth = await authenticateApiKey(presented);
  if (auth.ok) cache.put(id, { principal: auth.principal }, ticket);
  return auth;
}

const STATE = Symbol.for("switchboard.consumerBudget");

function consumerBudget(): TLocalBudget {
  const points = env().SWITCHBOARD_CONSUMER_RATE_LIMIT_PER_MINUTE;
  const g = globalThis as typeof globalThis & { [STATE]?: { points: number; budget: TLocalBudget } };
  if (g[STATE]?.points !== points) {
    g[STATE]?.budget.stop();
    const shared = createLimiter({ keyPrefix: "consumer-key", points, durationSeconds: 60 });
    g[STATE] = { points, budget: createLocalBudget(shared, { syncMs: 250, idleMs: 120_000 }) };
  }
  return g[STATE].budget;
}

/** Settles the local rate-limit spending with the shared counter and stops its timer (shutdown). */
export async function stopConsumerBudget(): Promise<void> {
  const g = globalThis as typeof globalThis & { [STATE]?: { budget: TLocalBudget } };
  const budget = g[STATE]?.budget;
  if (!budget) return;
  g[STATE] = undefined;
  budget.stop();
  await budget.settle();
}

export type TConsumerCall = {
  query: URLSearchParams;
  authorization: string | null;
  xApiKey: string | null;
  /** The request's headers, for the client address (the peer stamp and trusted X-Forwarded-For). */
  headers: Record<string, string | string[] | undefined>;
};

export async function guardConsumerCall(request: TConsumerCall): Promise<TGuardResult> {
  const presented = presentedKeyOf(request);
  if (presented.kind !== "key") {
    const message = presented.kind === "in_query" ? MESSAGES.keyInQuery : MESSAGES.unauthorized;
    return { ok: false, error: { code: "unauthorized", message }, headers: UNAUTHORIZED };
  }
  let auth = cachedKey(presented.key);
  if (!auth) {
    // A key not in the cache: the admin API's refused-key throttle, before any hashing or lookup.
    const address = clientAddress(request.headers);
    const wait = await refusedKeyWait(address);
    if (wait !== null) {
      const message = `Too many refused API keys from your address; try again in ${wait} s.`;
      return { ok: false, error: { code: "rate_limited", message }, headers: { "Retry-After": String(wait) } };
    }
    auth = await lookUpKey(presented.key);
    if (!auth.ok) await countRefusedKey(address);
  }
  if (!auth.ok) return { ok: false, error: { code: "unauthorized", message: MESSAGES.unauthorized }, headers: UNAUTHORIZED };
  const principal = auth.principal;
  if (principal.scope !== "consumer") return { ok: false, error: { code: "forbidden_scope", message: MESSAGES.forbiddenConsumer }, headers: {} };
  const budget = await consumerBudget().consume(principal.keyId);
  if (!budget.allowed) {
    const message = `Too many calls with this key; try again in ${budget.retryAfterSeconds} s.`;
    return { ok: false, error: { code: "rate_limited", message }, headers: { "Retry-After": String(budget.retryAfterSeconds) } };
  }
  noteApiKeyUse(principal.keyId);
  return { ok: true, principal };
}
