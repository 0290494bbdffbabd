import "server-only";
import { env } from "@/lib/env";
import { createLimiter, type TLimiter } from "@/lib/rate-limit/service/limiter";

// Per API key, every surface together, counted in PostgreSQL (the shared
// limiter) so all instances share one budget. Taken right after the key is
// checked and before any work the call asks for.

const state = globalThis as typeof globalThis & { __switchboardApiLimiter?: { points: number; limiter: TLimiter } };

export function apiKeyLimiter(): TLimiter {
  const points = env().SWITCHBOARD_API_RATE_LIMIT_PER_MINUTE;
  if (state.__switchboardApiLimiter?.points !== points) {
    state.__switchboardApiLimiter = { points, limiter: createLimiter({ keyPrefix: "api-key", points, durationSeconds: 60 }) };
  }
  return state.__switchboardApiLimiter.limiter;
}
