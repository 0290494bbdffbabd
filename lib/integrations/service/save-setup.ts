import "server-only";
import { forgetConnection } from "@/lib/cache/caches";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import type { TConnection } from "@/lib/integrations/connection-value";
import { getProvider } from "@/lib/integrations/providers/registry";
import { CONNECTION_SELECT, lockConnection, openRowSecrets, parseValueForUpdate, rejectMalformedUuid, sealForRow, toConnection } from "./connection-row";
import type { TServiceContext } from "./context";
import { CORRUPTED_STATE_MESSAGE, fail, NOT_CONFIGURED_MESSAGE, ok, type TResult } from "./result";
import { mergeSetup } from "./merge-setup";

export type TSaveSetupInput = {
  uuid: string;
  /** Setup field values. A blank or missing secret keeps the stored one (write-only "Replace"). */
  attrs: Record<string, string>;
  /** Secret fields whose stored value is deleted (an optional password, a connection string). */
  clear?: string[];
};

/** Merges setup fields into the connection, re-encrypting secrets and keeping obtained tokens. */
export async function saveSetup(ctx: TServiceContext, input: TSaveSetupInput): Promise<TResult<TConnection>> {
  const malformed = rejectMalformedUuid<TConnection>(input.uuid);
  if (malformed) return malformed;
  // Callers beyond the typed ones (API, MCP) may send anything: refuse shapes, not just values.
  const attrsOk = input.attrs !== null && typeof input.attrs === "object" && !Array.isArray(input.attrs);
  if (!attrsOk || (input.clear !== undefined && !Array.isArray(input.clear))) {
    return fail("invalid_setup", "Setup fields must be an object of field names to text, and `clear` a list of field names.");
  }
  const prisma = await db();
  const result = await prisma.$transaction(async (tx) => {
    const row = await lockConnection(tx, ctx.orgId, input.uuid);
    if (!row) return fail<TConnection>("not_configured", NOT_CONFIGURED_MESSAGE);
    const value = parseValueForUpdate(row);
    if (!value) return fail<TConnection>("corrupted_state", CORRUPTED_STATE_MESSAGE);
    const provider = getProvider(value.provider);
    if (!provider) return fail<TConnection>("unknown_provider", "This connection's provider is no longer available.");

    const opened = openRowSecrets(row);
    const merged = mergeSetup(provider, value, opened, input);
    if (!merged.ok) return merged;
    const { next, secrets, changed, dropped } = merged.value;
    const updated = await tx.setting.update({
      where: { uuid: row.uuid, orgId: ctx.orgId },
      data: { value: next, ...sealForRow(row, secrets) },
      select: CONNECTION_SELECT,
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "setup_saved",
      target: { type: "connection", id: row.uuid },
      // The provider's field names that changed, never values.
      metadata: {
        provider: provider.key,
        name: value.name,
        fields: changed.sort().join(","),
        ...(dropped.length > 0 ? { tokensDropped: dropped.sort().join(",") } : {}),
        ...(opened.ok ? {} : { replacedUnreadable: true }),
      },
    });
    return ok(toConnection(updated, { ok: true, secrets }));
  });
  // After the commit, before the caller hears back: this process never serves the old value again.
  forgetConnection(input.uuid);
  return result;
}
