import "server-only";
import { env } from "@/lib/env";
import { createLimiter, type TLimiter } from "@/lib/rate-limit/service/limiter";
import type { TServiceContext } from "./context";
import type { TResult } from "./result";

// Connection tests make outbound connections on the operator's behalf, so
// they are counted per operator and per organization (shared by every
// instance through PostgreSQL) before any of that work starts.

let limiters: { perActor: TLimiter; perOrg: TLimiter; points: number } | undefined;

function current() {
  const points = env().SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE;
  if (limiters?.points !== points) {
    limiters = {
      points,
      perActor: createLimiter({ keyPrefix: "connection-test:actor", points, durationSeconds: 60 }),
      perOrg: createLimiter({ keyPrefix: "connection-test:org", points: points * 5, durationSeconds: 60 }),
    };
  }
  return limiters;
}

/** Takes one connection test from the actor's and the organization's quota; `rate_limited` with the wait when either is used up. */
export async function takeTestQuota(ctx: TServiceContext): Promise<TResult<never> | null> {
  const { perActor, perOrg } = current();
  const actorKey = ctx.actor.type === "system" ? `system:${ctx.orgId}` : `${ctx.actor.type}:${ctx.actor.id}`;
  const mine = await perActor.consume(actorKey);
  const org = mine.allowed ? await perOrg.consume(ctx.orgId) : null;
  const refusal = !mine.allowed ? mine : org && !org.allowed ? org : null;
  if (!refusal) return null;
  const wait = refusal.retryAfterSeconds;
  const who = !mine.allowed ? "You have" : "Your organization has";
  return { ok: false, error: { code: "rate_limited", message: `${who} run too many connection tests. Try again in ${wait} s.`, retryAfterSeconds: wait } };
}
