import "server-only";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { fail, ok, type TResult } from "@/lib/integrations/service/result";
import type { TServiceContext } from "@/lib/integrations/service/context";
import { generateApiKey } from "@/lib/api-keys/key-format";
import { hashNewApiKey } from "@/lib/api-keys/pepper";
import type { TCreateApiKeyInput } from "@/lib/api-keys/schemas";

const DAY_MS = 24 * 60 * 60 * 1000;

export type TCreatedApiKey = { id: string; key: string; prefix: string; name: string; scope: TCreateApiKeyInput["scope"]; expiresAt: string | null };

/** Creates a key and returns it in full, the only time it is ever readable. */
export async function createApiKey(ctx: TServiceContext, input: TCreateApiKeyInput): Promise<TResult<TCreatedApiKey>> {
  const allowed = input.scope === "consumer" ? [...new Set(input.allowedConnections.map((u) => u.toLowerCase()))] : [];
  const expiresAt = input.expiresIn === "never" ? null : new Date(Date.now() + Number(input.expiresIn) * DAY_MS);
  const { key, prefix } = generateApiKey();
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    if (allowed.length > 0) {
      const found = await tx.setting.count({ where: { orgId: ctx.orgId, uuid: { in: allowed } } });
      if (found !== allowed.length) return fail<TCreatedApiKey>("not_found", "One of the chosen connections no longer exists.");
    }
    const row = await tx.apiKey.create({
      data: {
        orgId: ctx.orgId,
        name: input.name,
        prefix,
        hash: hashNewApiKey(key),
        scope: input.scope,
        expiresAt,
        allowedConnections: allowed,
        createdById: ctx.actor.type === "user" ? ctx.actor.id : null,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "api_key_created",
      target: { type: "api_key", id: row.id },
      metadata: { name: input.name, prefix, scope: input.scope, expiresAt: expiresAt?.toISOString() ?? null, connections: allowed.length },
    });
    return ok({ id: row.id, key, prefix, name: input.name, scope: input.scope, expiresAt: expiresAt?.toISOString() ?? null });
  });
}
