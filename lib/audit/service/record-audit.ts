import "server-only";
import type { DbTx } from "@/lib/db";
import type { TAuditEntry } from "@/lib/audit/types";

/** Writes one audit row inside the caller's transaction, so it commits or rolls back with the change. */
export async function recordAudit(tx: DbTx, entry: TAuditEntry): Promise<void> {
  await tx.auditLog.create({
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
}
