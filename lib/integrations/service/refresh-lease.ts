import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";

// The cross-process half of single-flight refresh: one row per connection in
// oauth_refresh_leases. Taking it is one atomic upsert that succeeds only when
// no live lease exists (PostgreSQL's clock decides, so instances with skewed
// clocks agree); it expires on its own, so a holder that crashed or hung
// blocks the others for at most LEASE_MS. No transaction or row lock is held
// while the holder talks to the provider: the settings row stays writable and
// no database connection waits on a remote server.
//
// The holder's token call must end before its lease does, or a second holder
// could spend the same refresh token: `deadline` is measured from just
// before the upsert, on this process's clock, minus a margin.

/** How long a lease lives. */
export const LEASE_MS = 30_000;
/** The holder's own work (discovery + token call) must be over this long before its lease ends. */
const LEASE_MARGIN_MS = 5_000;
const POLL_MS = 50;

export type TLease = {
  holder: string;
  /** Local time (Date.now()) by which the holder's provider calls must have ended. */
  deadline: number;
  release(): Promise<void>;
};

/** Takes the connection's lease if no live one exists; null when another holder has it. */
export async function tryAcquireLease(uuid: string): Promise<TLease | null> {
  const prisma = await db();
  const holder = `${process.pid}:${randomUUID()}`;
  const startedAt = Date.now();
  const rows = await prisma.$queryRaw<{ holder: string }[]>`
    INSERT INTO oauth_refresh_leases (uuid, holder, expires_at)
    VALUES (${uuid}::uuid, ${holder}, now() + make_interval(secs => ${LEASE_MS / 1000}))
    ON CONFLICT (uuid) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
      WHERE oauth_refresh_leases.expires_at <= now()
    RETURNING holder`;
  if (rows[0]?.holder !== holder) return null;
  return {
    holder,
    deadline: startedAt + LEASE_MS - LEASE_MARGIN_MS,
    async release() {
      await prisma.$executeRaw`DELETE FROM oauth_refresh_leases WHERE uuid = ${uuid}::uuid AND holder = ${holder}`.catch(() => undefined);
    },
  };
}

/**
 * Waits for the connection's lease, up to `waitMs`. Between attempts
 * `settled()` is asked whether waiting is still needed (another holder may
 * have refreshed meanwhile): when it answers a value, that value is returned
 * instead of a lease.
 */
export async function acquireLease<T>(uuid: string, waitMs: number, settled: () => Promise<T | null>): Promise<{ lease: TLease } | { settled: T } | { timedOut: true }> {
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    const lease = await tryAcquireLease(uuid);
    if (lease) return { lease };
    const done = await settled();
    if (done !== null) return { settled: done };
    if (Date.now() >= giveUpAt) return { timedOut: true };
    // A little jitter keeps the waiters of several processes from polling in step.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.floor(Math.random() * POLL_MS)));
  }
}
