import "server-only";
import type { DbTx } from "@/lib/db";

/**
 * Serializes the admin API's writes to one integration key (PUT and DELETE
 * of `settings.key` in an org) until the transaction ends. The change and
 * its audit row then commit in the same order for every caller: a DELETE can
 * no longer find nothing (wasNoop) while a PUT's insert is still uncommitted
 * and be audited after it. Taken first in the transaction, before any other
 * lock, so it cannot take part in a deadlock.
 */
export async function lockIntegrationKey(tx: DbTx, orgId: string, settingsKey: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${orgId}), hashtext(${`key:${settingsKey}`}))`;
}
