import "server-only";
import type { TApiPrincipal } from "@/lib/api-keys/types";
import { listeningNow, subscribeInvalidations, type TInvalidationSignal } from "@/lib/events/service/listener";
import type { TConsumerConnection } from "@/lib/integrations/service/consumer-connection";
import { logger } from "@/lib/logger";
import { approximateBytes, createInvalidatingCache, type TInvalidatingCache } from "./invalidating-cache";

// The process's two hot-path caches, shared by every copy of this module in
// the process (Next.js may evaluate it once per bundle layer), so a server
// action's write invalidates what the data plane serves.
//
// Both start bypassed: nothing is cached until startCacheSync() listens to the
// database's invalidation events. Then:
// - a connection's entry is forgotten by the writing service call before it
//   returns, and by every other instance when the trigger's NOTIFY arrives;
// - any API key change (revocation) empties the key cache (rare; exact);
// - when the event stream drops, both are emptied and bypassed until it is
//   back (anything committed meanwhile was never cached, so nothing is stale);
// - they turn on only while a LISTEN is in place: a first connect that fails
//   at boot leaves them bypassed, and every "resumed" empties them again
//   before turning them on, whatever was cached before.

const CONNECTIONS = { maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 };
const API_KEYS = { maxEntries: 10_000, maxBytes: 16 * 1024 * 1024 };

export type TCachedApiKey = { principal: TApiPrincipal };

type TCaches = {
  connections: TInvalidatingCache<TConsumerConnection>;
  apiKeys: TInvalidatingCache<TCachedApiKey>;
  sync?: Promise<void>;
};

const STATE = Symbol.for("switchboard.caches");

function caches(): TCaches {
  const g = globalThis as typeof globalThis & { [STATE]?: TCaches };
  return (g[STATE] ??= {
    connections: createInvalidatingCache<TConsumerConnection>({ ...CONNECTIONS, sizeOf: (v) => approximateBytes(v) }),
    apiKeys: createInvalidatingCache<TCachedApiKey>({ ...API_KEYS, sizeOf: (v) => approximateBytes(v.principal) }),
  });
}

/** Decrypted consumer views of connections, by uuid. */
export function connectionCache(): TInvalidatingCache<TConsumerConnection> {
  return caches().connections;
}

/** Verified API keys, by the key's HMAC under the newest pepper (never the key itself). */
export function apiKeyCache(): TInvalidatingCache<TCachedApiKey> {
  return caches().apiKeys;
}

/** A service write changed this connection: called after its transaction committed, before it returns. */
export function forgetConnection(uuid: string): void {
  connectionCache().forget(uuid.toLowerCase());
}

/** An API key was revoked (or otherwise changed): called after the commit, before the write returns. */
export function forgetApiKeys(): void {
  apiKeyCache().flush();
}

function onSignal(signal: TInvalidationSignal): void {
  const c = caches();
  if (signal.type === "invalidate") {
    if (signal.invalidation.kind === "connection") c.connections.forget(signal.invalidation.uuid.toLowerCase());
    else c.apiKeys.flush();
  } else if (signal.type === "dropped") {
    c.connections.flush({ bypass: true });
    c.apiKeys.flush({ bypass: true });
  } else {
    enable(c);
  }
}

/** Empties, then turns on: a cache starts from nothing each time the stream is (back) in place. */
function enable(c: TCaches): void {
  c.connections.flush();
  c.apiKeys.flush();
  c.connections.resume();
  c.apiKeys.resume();
}

/**
 * Starts caching: resolves once this process listens to the invalidation
 * events (the data plane's boot calls it). Until then, and if it fails,
 * every read goes to the database.
 */
export function startCacheSync(): Promise<void> {
  const c = caches();
  c.sync ??= subscribeInvalidations(onSignal).then(
    () => {
      // Not listening (the first connect or LISTEN failed): stay bypassed; "resumed" turns them on.
      if (listeningNow()) enable(c);
      else logger.warn("cache invalidation events not yet listening; caches stay off until they are");
    },
    (err: unknown) => {
      c.sync = undefined;
      logger.warn("cache invalidation events unavailable; caches stay off", { error: (err as Error)?.name ?? "unknown" });
    },
  );
  return c.sync;
}
