import "server-only";
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
  return prisma.$transaction(async (tx) => {
    await lockIntegrationKey(tx, ctx.orgId, key);
    const { count } = await tx.setting.deleteMany({ where: { orgId: ctx.orgId, key } });
    const wasNoop = count === 0;
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "remove_integration_credentials",
      target: { type: "integration", id: input.integrationKey },
      metadata: { wasNoop },
    });
    return ok({ wasNoop });
  });
}
