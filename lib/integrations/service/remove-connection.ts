import "server-only";
import { forgetConnection } from "@/lib/cache/caches";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { lockConnection, parseValue, rejectMalformedUuid } from "./connection-row";
import type { TServiceContext } from "./context";
import { ok, type TResult } from "./result";

/** Deletes the row. Removing a uuid that is already gone is a no-op (`removed: false`). */
export async function removeConnection(ctx: TServiceContext, input: { uuid: string }): Promise<TResult<{ removed: boolean }>> {
  const malformed = rejectMalformedUuid<{ removed: boolean }>(input.uuid);
  if (malformed) return malformed;
  const prisma = await db();
  const result = await prisma.$transaction(async (tx) => {
    const row = await lockConnection(tx, ctx.orgId, input.uuid);
    if (!row) return ok({ removed: false });
    const { provider, name } = parseValue(row);
    await tx.setting.delete({ where: { uuid: row.uuid, orgId: ctx.orgId } });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "connection_removed",
      target: { type: "connection", id: row.uuid },
      metadata: { provider, name },
    });
    return ok({ removed: true });
  });
  // After the commit, before the caller hears back: this process never serves the old value again.
  forgetConnection(input.uuid);
  return result;
}
