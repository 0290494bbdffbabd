import "server-only";
import type { DbTx } from "@/lib/db";
import { CONNECTION_CHANNEL, encodeChange, type TConnectionChange } from "@/lib/events/connection-change";

/**
 * Publishes a change inside the writer's transaction: PostgreSQL (and PGlite)
 * deliver a NOTIFY only when the transaction commits, so listeners never hear
 * of a change that rolled back, and always after it is visible to reads.
 */
export async function publishConnectionChange(tx: DbTx, change: TConnectionChange): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${CONNECTION_CHANNEL}, ${encodeChange(change)})`;
}

/** Publishes when a write changed the status (one line for every writer of a connection's status). */
export async function publishIfStatusChanged(
  tx: DbTx,
  change: { orgId: string; uuid: string; before: TConnectionChange["status"]; after: TConnectionChange["status"] },
): Promise<boolean> {
  if (change.before === change.after) return false;
  await publishConnectionChange(tx, { orgId: change.orgId, uuid: change.uuid, status: change.after });
  return true;
}
