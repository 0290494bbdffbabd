import "server-only";
import { forgetConnection } from "@/lib/cache/caches";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { settingsKey } from "@/lib/integrations/settings-key";
import type { TServiceContext } from "./context";
import { lockIntegrationKey } from "./integration-key-lock";
import { ok, type TResult } from "./result";

/**
 * Deactivates an integration by provider and name: deletes its row (one
 * statement, under the key lock PUT takes too) and audits
 * `remove_integration_credentials` {wasNoop}. Idempotent:
 * a second call finds nothing and records wasNoop: true.
 */
export async function removeCredentialsByKey(
  ctx: TServiceContext,
  input: { provider: string; name: string; integrationKey: string },
): Promise<TResult<{ wasNoop: boolean }>> {
  const key = settingsKey(input.provider, input.name);
  const prisma = await db();
  let removed: string | undefined;
  const result = await prisma.$transaction(async (tx) => {
    await lockIntegrationKey(tx, ctx.orgId, key);
    const rows = await tx.$queryRaw<{ uuid: string }[]>`DELETE FROM settings WHERE org_id = ${ctx.orgId}::uuid AND key = ${key} RETURNING uuid::text`;
    removed = rows[0]?.uuid;
    const wasNoop = rows.length === 0;
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "remove_integration_credentials",
      target: { type: "integration", id: input.integrationKey },
      metadata: { wasNoop },
    });
    return ok({ wasNoop });
  });
  // After the commit, before the caller hears back: this process never serves the removed value again.
  if (removed) forgetConnection(removed);
  return result;
}
