import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import type { TActor } from "@/lib/audit/types";
import { logger } from "@/lib/logger";

// Who read which credentials, without a database write per read. Reads are
// counted in memory per connection × reader × minute; every FLUSH_MS the
// counts go out in one INSERT … ON CONFLICT … DO UPDATE (adding) into
// `credential_reads`. Once a minute is over (plus GRACE_MS for other
// instances' last flush), a sweep writes one `credentials_read` audit row per
// row with the count not yet audited, through the audit service (hash chain),
// in the same transaction that marks it audited. Sweeps on several instances
// split rows with SKIP LOCKED, so each count is audited exactly once; counts
// flushed late for an audited minute get their own row for the remainder.
//
// What a crash loses: the counts not yet flushed in that process — those of
// the last flush interval (≤ FLUSH_MS) normally; everything counted since the
// database became unreachable while it is (failed flushes keep their counts
// in memory, at most MAX_BUFFERED_COUNTERS counters: beyond that new ones are
// dropped with a logged warning). The sweep runs on its own, so a long sweep
// never delays the flushes. Flushed counts are audited by any instance's next
// sweep (each sweeps every SWEEP_MS, and on shutdown).
//
// The API keys' last-used time rides along: at most one UPDATE per key per
// minute, batched into the same flush.

export const FLUSH_MS = 1_000;
const SWEEP_MS = 10_000;
const GRACE_MS = 5_000;
const MINUTE_MS = 60_000;
/** Rows per statement / audit transaction (the statement's parameters stay far below PostgreSQL's limit). */
const BATCH = 500;
/** Distinct key × connection × minute counters kept in memory at most (while the database is unreachable); ~300 B each. */
export const MAX_BUFFERED_COUNTERS = 100_000;
const DROP_WARNING_MS = 60_000;

export type TReadRecord = { orgId: string; uuid: string; actor: TActor; provider: string; name: string };

type TCounter = TReadRecord & { minute: number; count: number };

type TState = {
  counts: Map<string, TCounter>;
  keysUsed: Set<string>;
  keyMarkedAt: Map<string, number>;
  timer?: NodeJS.Timeout;
  lastSweep: number;
  flushing?: Promise<void>;
  sweeping?: Promise<void>;
  dropped: number;
  droppedWarnedAt: number;
};

const STATE = Symbol.for("switchboard.readAccounting");

function state(): TState {
  const g = globalThis as typeof globalThis & { [STATE]?: TState };
  return (g[STATE] ??= { counts: new Map(), keysUsed: new Set(), keyMarkedAt: new Map(), lastSweep: 0, dropped: 0, droppedWarnedAt: 0 });
}

function actorId(actor: TActor): string {
  return actor.type === "system" ? "" : actor.id;
}

/** Counts one read (in memory; flushed within FLUSH_MS while accounting runs and the database answers). */
export function recordCredentialRead(read: TReadRecord, now = Date.now()): void {
  const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  add({ ...read, minute, count: 1 });
}

/** Adds to the counter's in-memory count; a new counter past the cap is dropped (and counted for the warning). */
function add(c: TCounter): void {
  const s = state();
  const id = `${c.uuid}|${c.actor.type}|${actorId(c.actor)}|${c.minute}`;
  const existing = s.counts.get(id);
  if (existing) return void (existing.count += c.count);
  if (s.counts.size >= MAX_BUFFERED_COUNTERS) {
    s.dropped += c.count;
    const now = Date.now();
    if (now - s.droppedWarnedAt >= DROP_WARNING_MS) {
      s.droppedWarnedAt = now;
      logger.warn("read accounting: buffer full (database unreachable?); dropping read counts", { maxCounters: MAX_BUFFERED_COUNTERS, droppedReads: s.dropped });
    }
    return;
  }
  s.counts.set(id, { ...c });
}

/** Counters held in memory now (tests, diagnostics). */
export function bufferedReadCounters(): number {
  return state().counts.size;
}

/** Notes that an API key was used (its last-used time is written at most once a minute). */
export function noteApiKeyUse(keyId: string, now = Date.now()): void {
  const s = state();
  const marked = s.keyMarkedAt.get(keyId);
  if (marked !== undefined && now - marked < MINUTE_MS) return;
  s.keyMarkedAt.set(keyId, now);
  s.keysUsed.add(keyId);
}

/** Writes the counters batch by batch; a failed batch and the ones after it are put back (committed ones are not: no double count). */
async function writeCounts(counters: TCounter[]): Promise<void> {
  for (let i = 0; i < counters.length; i += BATCH) {
    try {
      await writeBatch(await db(), counters.slice(i, i + BATCH));
    } catch (err) {
      for (const c of counters.slice(i)) add(c);
      throw err;
    }
  }
}

async function writeBatch(prisma: Awaited<ReturnType<typeof db>>, batch: TCounter[]): Promise<void> {
  const rows = batch.map(
    (c) =>
      Prisma.sql`(${c.orgId}::uuid, ${c.uuid}::uuid, ${c.actor.type}, ${actorId(c.actor)}, ${c.actor.label}, ${c.provider}, ${c.name}, ${new Date(c.minute)}, ${c.count})`,
  );
  await prisma.$executeRaw`
    INSERT INTO credential_reads (org_id, connection_uuid, actor_type, actor_id, actor_label, provider, name, minute, count)
    VALUES ${Prisma.join(rows)}
    ON CONFLICT (connection_uuid, actor_type, actor_id, minute)
    DO UPDATE SET count = credential_reads.count + EXCLUDED.count, audited = false`;
}

async function markKeysUsed(ids: string[]): Promise<void> {
  const prisma = await db();
  const cutoff = new Date(Date.now() - MINUTE_MS);
  await prisma.apiKey.updateMany({
    where: { id: { in: ids }, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: cutoff } }] },
    data: { lastUsedAt: new Date() },
  });
}

type TPendingRow = {
  org_id: string;
  connection_uuid: string;
  actor_type: string;
  actor_id: string;
  actor_label: string;
  provider: string;
  name: string;
  minute: Date;
  count: number;
  audited_count: number;
};

function auditActor(row: TPendingRow): TActor {
  if (row.actor_type === "user" || row.actor_type === "api_key") return { type: row.actor_type, id: row.actor_id, label: row.actor_label };
  return { type: "system", label: row.actor_label };
}

/** Audits every flushed count of minutes before `before`; returns how many audit rows were written. */
async function sweep(before: Date): Promise<number> {
  const prisma = await db();
  let written = 0;
  for (;;) {
    const n = await prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<TPendingRow[]>`
        SELECT org_id::text, connection_uuid::text, actor_type, actor_id, actor_label, provider, name, minute, count, audited_count
        FROM credential_reads WHERE audited = false AND minute < ${before}
        ORDER BY minute LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
      for (const row of rows) {
        const delta = row.count - row.audited_count;
        if (delta > 0) {
          await recordAudit(tx, {
            orgId: row.org_id,
            actor: auditActor(row),
            action: "credentials_read",
            target: { type: "connection", id: row.connection_uuid },
            metadata: { provider: row.provider, name: row.name, count: delta, minute: row.minute.toISOString() },
          });
        }
        await tx.$executeRaw`
          UPDATE credential_reads SET audited_count = ${row.count}, audited = true
          WHERE connection_uuid = ${row.connection_uuid}::uuid AND actor_type = ${row.actor_type} AND actor_id = ${row.actor_id} AND minute = ${row.minute}`;
      }
      return rows.length;
    });
    written += n;
    if (n < BATCH) return written;
  }
}

/**
 * Writes the counts gathered so far (and the keys' last-used times); then,
 * without making the next flush wait for it, audits the minutes that are
 * over every SWEEP_MS. With `auditClosedMinutes` (tests) the sweep of the
 * closed minutes runs now and is awaited; with `auditOpenMinutes`
 * (shutdown) every minute is audited, the current one included. Flushes run
 * one after another; so do sweeps.
 */
export async function flushReadAccounting(opts: { auditOpenMinutes?: boolean; auditClosedMinutes?: boolean } = {}): Promise<void> {
  const s = state();
  while (s.flushing) await s.flushing.catch(() => undefined);
  const run = (async () => {
    const counters = [...s.counts.values()];
    s.counts.clear();
    const keys = [...s.keysUsed];
    s.keysUsed.clear();
    if (counters.length > 0) await writeCounts(counters); // on failure the unwritten counts are back in memory
    if (keys.length > 0) await markKeysUsed(keys);
  })();
  s.flushing = run;
  try {
    await run;
  } finally {
    s.flushing = undefined;
  }
  const now = Date.now();
  if (opts.auditOpenMinutes) return runSweep(new Date(now + MINUTE_MS));
  if (opts.auditClosedMinutes) return runSweep(new Date(now - MINUTE_MS - GRACE_MS));
  if (!s.sweeping && now - s.lastSweep >= SWEEP_MS) {
    runSweep(new Date(now - MINUTE_MS - GRACE_MS)).catch((err: unknown) => logger.warn("read accounting sweep failed", { error: (err as Error)?.name ?? "unknown" }));
  }
}

/** One sweep at a time (after any running one); flushes go on meanwhile. */
async function runSweep(before: Date): Promise<void> {
  const s = state();
  while (s.sweeping) await s.sweeping.catch(() => undefined);
  s.lastSweep = Date.now();
  const run = sweep(before).then(() => undefined);
  s.sweeping = run;
  try {
    await run;
  } finally {
    s.sweeping = undefined;
  }
}

/** Flushes every FLUSH_MS until stopped (the data plane's boot starts it; shutdown flushes once more and stops it). */
export function startReadAccounting(): void {
  const s = state();
  if (s.timer) return;
  s.timer = setInterval(() => {
    flushReadAccounting().catch((err: unknown) => logger.warn("read accounting flush failed", { error: (err as Error)?.name ?? "unknown" }));
  }, FLUSH_MS);
  s.timer.unref();
}

/** Stops the timer and writes (and audits) everything counted so far. */
export async function stopReadAccounting(): Promise<void> {
  const s = state();
  if (s.timer) clearInterval(s.timer);
  s.timer = undefined;
  await flushReadAccounting({ auditOpenMinutes: true });
}
