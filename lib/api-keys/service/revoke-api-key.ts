import "server-only";
import { forgetApiKeys } from "@/lib/cache/caches";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { fail, ok, type TResult } from "@/lib/integrations/service/result";
import type { TServiceContext } from "@/lib/integrations/service/context";

/** Revokes a key at once (the next call with it is refused). Revoking a revoked key changes nothing. */
export async function revokeApiKey(ctx: TServiceContext, input: { id: string }): Promise<TResult<{ revoked: boolean }>> {
  const prisma = await db();
  const result = await prisma.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: input.id, orgId: ctx.orgId }, select: { id: true, name: true, prefix: true } });
    if (!key) return fail<{ revoked: boolean }>("not_found", "There is no such key in your organization.");
    const { count } = await tx.apiKey.updateMany({ where: { id: key.id, orgId: ctx.orgId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) return ok({ revoked: false });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "api_key_revoked",
      target: { type: "api_key", id: key.id },
      metadata: { name: key.name, prefix: key.prefix },
    });
    return ok({ revoked: true });
  });
  // After the commit, before the caller hears back: this process refuses the key from now on.
  forgetApiKeys();
  return result;
}
