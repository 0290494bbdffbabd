import { z } from "zod";

// The second change event: "what a cache may hold of this connection or API
// key changed". Published by database triggers (migration
// 20261201035419_consumer_data_plane), so every committed write to
// `settings` or to an `api_keys` row's scope, allow-list, expiry or
// revocation is announced, whoever wrote it: the service, a CLI, or SQL.
// Key rotation re-seals the same plaintext and is not announced.
// The payload carries ids only; readers load anything else again.

/** Constant and lowercase (PGlite uses channel names unquoted). The triggers use the same literal. */
export const INVALIDATION_CHANNEL = "switchboard_cache_invalidations";

export const ZInvalidation = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("connection"), orgId: z.uuid(), uuid: z.uuid() }),
  z.object({ kind: z.literal("api_key"), orgId: z.uuid(), id: z.uuid() }),
]);
export type TInvalidation = z.infer<typeof ZInvalidation>;

export function decodeInvalidation(payload: string | undefined): TInvalidation | null {
  try {
    const raw = JSON.parse(payload ?? "") as { k?: unknown; o?: unknown; u?: unknown };
    const parsed = ZInvalidation.safeParse(
      raw.k === "c" ? { kind: "connection", orgId: raw.o, uuid: raw.u } : raw.k === "k" ? { kind: "api_key", orgId: raw.o, id: raw.u } : null,
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
