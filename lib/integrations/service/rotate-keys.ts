import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db, type DbTx } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import type { TActor } from "@/lib/audit/types";
import { keyRing } from "@/lib/integrations/crypto/key-ring";
import { openRowSecrets, sealForRow } from "./connection-row";

/** A row whose secrets could not be read: left as it is, reported and audited. */
export type TSkippedRow = { uuid: string; orgId: string; reason: string };
export type TRotateKeysResult = { keyVersion: number; rotated: number; batches: number; skipped: TSkippedRow[] };

/**
 * Re-encrypts every secret still under an older key (or none) to the newest
 * one, a batch per transaction. Rows are locked with SKIP LOCKED so a
 * concurrent writer is never blocked for long, and each row changes blob and
 * key version in one write: a reader always sees a pair it can decrypt (both
 * keys stay in the ring until rotation ends).
 *
 * A row that cannot be decrypted (tampered, foreign, unknown key version) is
 * skipped: reported with its reason, audited in its organization, and left
 * for an operator to re-enter; every other row is still re-encrypted. Batches
 * commit one by one, so an interrupted run resumes where it stopped when run
 * again, and a second run over finished work changes nothing.
 *
 * The key ring is platform-wide: without `orgId` (the CLI, the platform
 * owner's button) it walks every organization; with it, the row query keeps
 * that organization's filter.
 */
export async function rotateEncryptionKeys(opts: {
  actor: TActor;
  orgId?: string;
  batchSize?: number;
  onBatch?: (done: number) => void;
}): Promise<TRotateKeysResult> {
  const batchSize = opts.batchSize ?? 200;
  const target = keyRing().current.version;
  const prisma = await db();
  let rotated = 0;
  let batches = 0;
  const skipped: TSkippedRow[] = [];
  // SKIP LOCKED also skips rows a concurrent writer holds at that moment. When
  // a skipping pass finds nothing, a waiting pass (plain FOR UPDATE) makes sure
  // no such row is left on the old key; only an empty waiting pass ends the loop.
  let skipLocked = true;
  for (;;) {
    const batch = await prisma.$transaction((tx) =>
      rotateBatch(tx, { ...opts, target, batchSize, skipLocked, exclude: skipped.map((s) => s.uuid) }),
    );
    skipped.push(...batch.skipped);
    if (batch.seen === 0) {
      if (!skipLocked) break;
      skipLocked = false;
      continue;
    }
    skipLocked = true;
    rotated += batch.rotated;
    batches += 1;
    opts.onBatch?.(rotated);
  }
  return { keyVersion: target, rotated, batches, skipped };
}

async function rotateBatch(
  tx: DbTx,
  opts: { actor: TActor; orgId?: string; target: number; batchSize: number; skipLocked: boolean; exclude: string[] },
): Promise<{ seen: number; rotated: number; skipped: TSkippedRow[] }> {
  const { target, orgId } = opts;
  // Same plaintext, newer key: the cache-invalidation trigger stays quiet for this transaction, so caches stay warm.
  await tx.$executeRaw`SELECT set_config('switchboard.key_rotation', 'on', true)`;
  // IS DISTINCT FROM: a blob without a key version is picked up too (and reported as unreadable).
  const rows = await tx.$queryRaw<{ uuid: string }[]>`
    SELECT uuid::text AS uuid FROM settings
    WHERE secret IS NOT NULL AND key_version IS DISTINCT FROM ${target}
      ${orgId ? Prisma.sql`AND org_id = ${orgId}::uuid` : Prisma.empty}
      ${opts.exclude.length > 0 ? Prisma.sql`AND uuid::text NOT IN (${Prisma.join(opts.exclude)})` : Prisma.empty}
    ORDER BY uuid LIMIT ${opts.batchSize} FOR UPDATE ${opts.skipLocked ? Prisma.sql`SKIP LOCKED` : Prisma.empty}`;
  if (rows.length === 0) return { seen: 0, rotated: 0, skipped: [] };
  const full = await tx.setting.findMany({
    where: { uuid: { in: rows.map((r) => r.uuid) }, ...(orgId ? { orgId } : {}) },
    select: { uuid: true, orgId: true, secret: true, keyVersion: true, value: true },
  });
  const perOrg = new Map<string, number>();
  const skipped: TSkippedRow[] = [];
  const resealed: Prisma.Sql[] = [];
  for (const row of full) {
    const opened = openRowSecrets(row);
    if (!opened.ok) {
      skipped.push({ uuid: row.uuid, orgId: row.orgId, reason: opened.reason });
      await recordAudit(tx, {
        orgId: row.orgId,
        actor: opts.actor,
        action: "key_rotation_skipped",
        target: { type: "connection", id: row.uuid },
        metadata: { keyVersion: target, reason: opened.reason },
      });
      continue;
    }
    const sealed = sealForRow(row, opened.secrets);
    resealed.push(Prisma.sql`(${row.uuid}::uuid, ${row.orgId}::uuid, ${sealed.secret}::bytea, ${sealed.keyVersion}::int)`);
    perOrg.set(row.orgId, (perOrg.get(row.orgId) ?? 0) + 1);
  }
  // One statement for the whole batch (a round trip per row made rotation crawl at ~170 rows/s).
  if (resealed.length > 0) {
    await tx.$executeRaw`
      UPDATE settings AS s SET secret = v.secret, key_version = v.key_version, updated_at = now()
      FROM (VALUES ${Prisma.join(resealed)}) AS v(uuid, org_id, secret, key_version)
      WHERE s.uuid = v.uuid AND s.org_id = v.org_id`;
  }
  for (const [org, n] of perOrg) {
    await recordAudit(tx, { orgId: org, actor: opts.actor, action: "keys_rotated", metadata: { keyVersion: target, rows: n } });
  }
  return { seen: rows.length, rotated: full.length - skipped.length, skipped };
}
