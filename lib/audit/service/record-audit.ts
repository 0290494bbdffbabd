import "server-only";
import type { DbTx } from "@/lib/db";
import { ANCHOR_EVERY, writeAnchor } from "@/lib/audit/service/anchors";
import type { TAuditEntry } from "@/lib/audit/types";

/**
 * Writes one audit row inside the caller's transaction, so it commits or
 * rolls back with the change; every ANCHOR_EVERY-th row of an org is also
 * signed (lib/audit/service/anchors.ts) in that transaction.
 */
export async function recordAudit(tx: DbTx, entry: TAuditEntry): Promise<void> {
  const row = await tx.auditLog.create({
    select: { id: true, seq: true, hash: true },
    data: {
      orgId: entry.orgId,
      actorType: entry.actor.type,
      actorId: entry.actor.type === "system" ? null : entry.actor.id,
      actorLabel: entry.actor.label,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      metadata: entry.metadata ?? {},
    },
  });
  // seq and hash come back as the chain trigger wrote them.
  if (row.seq % ANCHOR_EVERY === 0) await writeAnchor(tx, { orgId: entry.orgId, seq: row.seq, rowId: row.id, rowHash: row.hash });
}
