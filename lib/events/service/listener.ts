import "server-only";
import pg from "pg";
import { embeddedDatabase } from "@/lib/db";
import { env } from "@/lib/env";
import { CONNECTION_CHANNEL, decodeChange, type TConnectionSignal } from "@/lib/events/connection-change";
import { decodeInvalidation, INVALIDATION_CHANNEL, type TInvalidation } from "@/lib/events/cache-invalidation";
import { logger } from "@/lib/logger";

// One listener per process, shared by every subscriber (SSE streams, caches),
// named `switchboard-events pid=<process id>` in pg_stat_activity.
// PostgreSQL: a dedicated pg Client (not the pool: a pooled connection would
// lose its LISTEN when handed back), reconnected with backoff after a drop;
// subscribers hear "dropped" at once and "resumed" once listening again, and
// then re-read what they show, since NOTIFYs sent in between are lost.
// A heartbeat (SELECT 1 every SWITCHBOARD_EVENTS_HEARTBEAT_SECONDS) and TCP
// keep-alive after 10 s idle catch a connection that died silently.
// PGlite: its own in-process `listen`, which cannot drop.
// Two channels on the one connection: status changes (live UI) and cache
// invalidations (lib/cache); "dropped"/"resumed" reach both kinds of subscriber.

type TListener = (signal: TConnectionSignal) => void;
export type TInvalidationSignal = { type: "invalidate"; invalidation: TInvalidation } | { type: "dropped" } | { type: "resumed" };
type TInvalidationListener = (signal: TInvalidationSignal) => void;

type THub = {
  listeners: Set<TListener>;
  invalidationListeners: Set<TInvalidationListener>;
  starting?: Promise<void>;
  client?: pg.Client;
  stopPglite?: () => Promise<void>;
  retryTimer?: NodeJS.Timeout;
  heartbeat?: NodeJS.Timeout;
  attempt: number;
  stopped: boolean;
  dropped: boolean;
  /** True only while a LISTEN is in place (PGlite: always once started); caches may only be on while it is. */
  listening: boolean;
};

const state = globalThis as typeof globalThis & { __switchboardEvents?: THub };
const hub = (): THub => {
  const h = (state.__switchboardEvents ??= { listeners: new Set(), invalidationListeners: new Set(), attempt: 0, stopped: false, dropped: false, listening: false });
  h.invalidationListeners ??= new Set(); // a hub created by an older copy of this module
  return h;
};

function deliver<S>(listeners: Set<(s: S) => void>, signal: S): void {
  for (const l of listeners) {
    try {
      l(signal);
    } catch (err) {
      logger.warn("change event subscriber failed", { error: (err as Error)?.name ?? "unknown" });
    }
  }
}

function emit(signal: TConnectionSignal): void {
  const h = hub();
  deliver(h.listeners, signal);
  if (signal.type !== "change") deliver(h.invalidationListeners, signal);
}

function onPayload(payload: string | undefined): void {
  const change = decodeChange(payload);
  if (change) emit({ type: "change", change });
}

function onInvalidationPayload(payload: string | undefined): void {
  const invalidation = decodeInvalidation(payload);
  if (invalidation) deliver(hub().invalidationListeners, { type: "invalidate", invalidation });
}

function scheduleReconnect(h: THub): void {
  if (h.stopped || h.retryTimer) return;
  const delay = Math.min(5_000, 250 * 2 ** Math.min(h.attempt, 5));
  h.attempt += 1;
  h.retryTimer = setTimeout(() => {
    h.retryTimer = undefined;
    void connectPostgres(h, env().DATABASE_URL!);
  }, delay);
  h.retryTimer.unref();
}

/** TCP keep-alive probes start after this much idle time (the OS default is often 2 h). */
const KEEPALIVE_INITIAL_DELAY_MS = 10_000;
const HEARTBEAT_TIMEOUT_MAX_MS = 5_000;

/**
 * A connection cut without a FIN (NAT, load balancer or firewall idle
 * timeout) raises no error: NOTIFYs are simply lost. So the listener asks the
 * server `SELECT 1` every interval; no answer within the timeout is a drop.
 */
function startHeartbeat(h: THub, client: pg.Client): void {
  stopHeartbeat(h);
  const intervalMs = env().SWITCHBOARD_EVENTS_HEARTBEAT_SECONDS * 1000;
  const timeoutMs = Math.min(intervalMs, HEARTBEAT_TIMEOUT_MAX_MS);
  let pending = false;
  h.heartbeat = setInterval(() => {
    if (h.client !== client) return stopHeartbeat(h);
    if (pending) return; // the previous one is still within its timeout
    pending = true;
    const timer = setTimeout(() => {
      logger.warn("change event stream: no heartbeat answer", { timeoutMs });
      onDrop(h, client);
      destroySocket(client); // end() would wait on a dead socket
    }, timeoutMs);
    client.query("SELECT 1").then(
      () => {
        clearTimeout(timer);
        pending = false;
      },
      () => {
        clearTimeout(timer);
        onDrop(h, client);
      },
    );
  }, intervalMs);
  h.heartbeat.unref();
}

function stopHeartbeat(h: THub): void {
  if (h.heartbeat) clearInterval(h.heartbeat);
  h.heartbeat = undefined;
}

function destroySocket(client: pg.Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

function onDrop(h: THub, client: pg.Client): void {
  if (h.client !== client) return;
  stopHeartbeat(h);
  h.client = undefined;
  h.listening = false;
  client.removeAllListeners("notification");
  void client.end().catch(() => undefined);
  if (!h.dropped) {
    h.dropped = true;
    logger.warn("change event stream dropped; reconnecting");
    emit({ type: "dropped" });
  }
  scheduleReconnect(h);
}

async function connectPostgres(h: THub, url: string): Promise<void> {
  if (h.stopped) return;
  const client = new pg.Client({
    connectionString: url,
    application_name: `switchboard-events pid=${process.pid}`,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_INITIAL_DELAY_MS,
  });
  client.on("error", () => onDrop(h, client));
  client.on("end", () => onDrop(h, client));
  client.on("notification", (msg) => {
    if (msg.channel === CONNECTION_CHANNEL) onPayload(msg.payload);
    else if (msg.channel === INVALIDATION_CHANNEL) onInvalidationPayload(msg.payload);
  });
  h.client = client;
  try {
    await client.connect();
    await client.query(`LISTEN ${CONNECTION_CHANNEL}; LISTEN ${INVALIDATION_CHANNEL}`);
  } catch {
    onDrop(h, client);
    return;
  }
  if (h.stopped) return void client.end().catch(() => undefined);
  h.attempt = 0;
  h.listening = true;
  startHeartbeat(h, client);
  if (h.dropped) {
    h.dropped = false;
    logger.info("change event stream resumed");
    emit({ type: "resumed" });
  }
}

async function start(h: THub): Promise<void> {
  h.stopped = false;
  const pglite = await embeddedDatabase();
  if (pglite) {
    const stops = await Promise.all([pglite.listen(CONNECTION_CHANNEL, onPayload), pglite.listen(INVALIDATION_CHANNEL, onInvalidationPayload)]);
    h.stopPglite = async () => void (await Promise.all(stops.map((stop) => stop())));
    h.listening = true;
    return;
  }
  await connectPostgres(h, env().DATABASE_URL!);
}

/** Adds a subscriber to `set` once the process listens (the first subscriber starts the listener); on failure, removes it again. */
async function subscribe<L>(set: Set<L>, listener: L): Promise<() => void> {
  const h = hub();
  set.add(listener);
  h.starting ??= start(h).catch((err: unknown) => {
    h.starting = undefined;
    throw err;
  });
  try {
    await h.starting;
  } catch (err) {
    set.delete(listener);
    throw err;
  }
  return () => void set.delete(listener);
}

/**
 * Subscribes to connection changes of every organization (filter by
 * `change.orgId`). Resolves once the process listens, so a change committed
 * after that is heard. Returns the unsubscribe function.
 */
export function subscribeConnectionChanges(listener: TListener): Promise<() => void> {
  return subscribe(hub().listeners, listener);
}

/**
 * Subscribes to cache invalidations (every organization). Resolves once the
 * process listens: an invalidation committed after that is heard, or
 * "dropped" is. Returns the unsubscribe function.
 */
export function subscribeInvalidations(listener: TInvalidationListener): Promise<() => void> {
  return subscribe(hub().invalidationListeners, listener);
}

/**
 * Whether the process is listening right now. A subscription resolves even
 * when the first connect or LISTEN failed (the listener keeps retrying and
 * says "resumed" when it is back), so a cache checks this before it turns on.
 */
export function listeningNow(): boolean {
  return hub().listening;
}

/** Stops listening (tests, shutdown). Subscribers stay registered but hear nothing until the next subscribe. */
export async function stopConnectionEvents(): Promise<void> {
  const h = hub();
  h.stopped = true;
  h.starting = undefined;
  if (h.retryTimer) clearTimeout(h.retryTimer);
  h.retryTimer = undefined;
  stopHeartbeat(h);
  const client = h.client;
  h.client = undefined;
  await client?.end().catch(() => undefined);
  await h.stopPglite?.().catch(() => undefined);
  h.stopPglite = undefined;
  h.dropped = false;
  h.listening = false;
  h.listeners.clear();
  h.invalidationListeners.clear();
}
