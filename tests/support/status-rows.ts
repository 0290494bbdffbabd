import type { DbTx } from "@/lib/db";
import type { TConnectionChange } from "@/lib/events/connection-change";

/**
 * Inserts a bare connection row with a status, the smallest write the
 * database announces as a change (settings_announce_status trigger); nothing
 * but the events tests reads these rows.
 */
export async function insertStatusRow(tx: DbTx, change: TConnectionChange): Promise<void> {
  await tx.setting.create({ data: { uuid: change.uuid, orgId: change.orgId, key: `events-test:${change.uuid}`, value: { status: change.status } } });
}
