import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import type { TActor } from "@/lib/audit/types";
import { addGeneratedKey, keyRing } from "@/lib/integrations/crypto/key-ring";
import { openRowSecrets, sealForRow } from "./connection-row";
import type { TReadContext, TServiceContext } from "./context";

export type TRotateKeysResult = { keyVersion: number; rotated: number; batches: number };

/**
 * Re-encrypts every secret still under an older key to the newest one, a
 * batch per transaction. Rows are locked with SKIP LOCKED so a concurrent
 * writer is never blocked for long, and each row changes blob and key version
 * in one write: a reader always sees a pair it can decrypt (both keys stay in
 * the ring until rotation ends). Without `orgId` (the CLI) it walks every
 * organization; with it (an org admin in the UI) only that organization's rows.
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
  // SKIP LOCKED also skips rows a concurrent writer holds at that moment. When
  // a skipping pass finds nothing, a waiting pass (plain FOR UPDATE) makes sure
  // no such row is left on the old key; only an empty waiting pass ends the loop.
  let skipLocked = true;
  for (;;) {
    const count = await prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ uuid: string; org_id: string }[]>`
        SELECT uuid::text AS uuid, org_id::text AS org_id FROM settings
        WHERE secret IS NOT NULL AND key_version <> ${target}
          ${opts.orgId ? Prisma.sql`AND org_id = ${opts.orgId}::uuid` : Prisma.empty}
        ORDER BY uuid LIMIT ${batchSize} FOR UPDATE ${skipLocked ? Prisma.sql`SKIP LOCKED` : Prisma.empty}`;
      if (rows.length === 0) return 0;
      const full = await tx.setting.findMany({
        where: { uuid: { in: rows.map((r) => r.uuid) } },
        select: { uuid: true, orgId: true, secret: true, keyVersion: true },
      });
      const perOrg = new Map<string, number>();
      for (const row of full) {
        const opened = openRowSecrets(row);
        if (!opened.ok) throw new Error(`secrets of ${row.uuid} cannot be read: ${opened.reason}`);
        await tx.setting.update({ where: { uuid: row.uuid, orgId: row.orgId }, data: sealForRow(row, opened.secrets) });
        perOrg.set(row.orgId, (perOrg.get(row.orgId) ?? 0) + 1);
      }
      for (const [orgId, n] of perOrg) {
        await recordAudit(tx, {
          orgId,
          actor: opts.actor,
          action: "keys_rotated",
          metadata: { keyVersion: target, rows: n },
        });
      }
      return full.length;
    });
    if (count === 0) {
      if (!skipLocked) break;
      skipLocked = false;
      continue;
    }
    skipLocked = true;
    rotated += count;
    batches += 1;
    opts.onBatch?.(rotated);
  }
  return { keyVersion: target, rotated, batches };
}

/** How many of the organization's secrets are still under an older key (shown on the security page). */
export async function countStaleSecrets(ctx: TReadContext): Promise<number> {
  const prisma = await db();
  const target = keyRing().current.version;
  return prisma.setting.count({ where: { orgId: ctx.orgId, secret: { not: null }, keyVersion: { not: target } } });
}

export type TKeyStatus = { source: "env" | "generated"; currentVersion: number; versions: number[]; staleSecrets: number };

export async function keyStatus(ctx: TReadContext): Promise<TKeyStatus> {
  const ring = keyRing();
  return {
    source: ring.source,
    currentVersion: ring.current.version,
    versions: [...ring.byVersion.keys()].sort((a, b) => a - b),
    staleSecrets: await countStaleSecrets(ctx),
  };
}

/**
 * The admin UI's rotation, for the admin's own organization only (its audit
 * log, its counts). On the embedded default (generated key file) it first
 * adds a new key; with SWITCHBOARD_ENCRYPTION_KEYS the operator adds the key
 * to the environment and this re-encrypts the organization's secrets to it.
 * Other organizations' secrets keep decrypting with the older key until
 * their admins (or `npm run keys:rotate`) re-encrypt them.
 */
export async function rotateFromAdmin(ctx: TServiceContext): Promise<TRotateKeysResult> {
  if (keyRing().source === "generated") addGeneratedKey();
  return rotateEncryptionKeys({ actor: ctx.actor, orgId: ctx.orgId });
}
