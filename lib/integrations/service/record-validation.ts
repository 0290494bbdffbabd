import "server-only";
import { forgetConnection } from "@/lib/cache/caches";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import type { TConnection, TConnectionValue } from "@/lib/integrations/connection-value";
import type { TProbeResult } from "@/lib/integrations/probes";
import { CONNECTION_SELECT, lockConnection, parseValueForUpdate, rejectMalformedUuid, toConnection } from "./connection-row";
import type { TServiceContext } from "./context";
import { CORRUPTED_STATE_MESSAGE, fail, NOT_CONFIGURED_MESSAGE, ok, type TResult } from "./result";

export type TRecordValidationInput = { uuid: string; result: Pick<TProbeResult, "ok" | "message" | "account"> };
export type TRecordedValidation = { connection: TConnection; statusChanged: boolean };

/**
 * Stores the outcome of a connection test (manual or automatic).
 * `last_validated_at` always advances, so "last tested N ago" stays true even
 * when a test repeats the previous result; status and validation text are
 * set every time. Only a status *change* is announced (by the database
 * trigger) and writes a `validated` audit row, so frequent automatic checks stay quiet.
 */
export async function recordValidation(ctx: TServiceContext, input: TRecordValidationInput): Promise<TResult<TRecordedValidation>> {
  const malformed = rejectMalformedUuid<TRecordedValidation>(input.uuid);
  if (malformed) return malformed;
  const prisma = await db();
  const result = await prisma.$transaction(async (tx) => {
    const row = await lockConnection(tx, ctx.orgId, input.uuid);
    if (!row) return fail<TRecordedValidation>("not_configured", NOT_CONFIGURED_MESSAGE);
    const value = parseValueForUpdate(row);
    if (!value) return fail<TRecordedValidation>("corrupted_state", CORRUPTED_STATE_MESSAGE);
    const status = input.result.ok ? "connected" : "error";
    const account = input.result.ok ? input.result.account : undefined;
    const next: TConnectionValue = {
      ...value,
      status,
      validation_status: input.result.message.slice(0, 500),
      last_validated_at: new Date().toISOString(),
      ...(status === "connected" && value.status !== "connected" ? { connected_at: new Date().toISOString() } : {}),
      ...(account?.id ? { external_account_id: account.id } : {}),
      ...(account?.name ? { external_account_name: account.name } : {}),
      ...(account?.email ? { external_account_email: account.email } : {}),
    };
    const updated = await tx.setting.update({ where: { uuid: row.uuid, orgId: ctx.orgId }, data: { value: next }, select: CONNECTION_SELECT });
    // The database announces the status change itself (the settings_announce_status trigger).
    const statusChanged = value.status !== status;
    if (statusChanged) {
      await recordAudit(tx, {
        orgId: ctx.orgId,
        actor: ctx.actor,
        action: "validated",
        target: { type: "connection", id: row.uuid },
        metadata: { provider: value.provider, name: value.name, from: value.status, to: status },
      });
    }
    return ok({ connection: toConnection(updated), statusChanged });
  });
  // After the commit, before the caller hears back: this process never serves the old value again.
  forgetConnection(input.uuid);
  return result;
}
