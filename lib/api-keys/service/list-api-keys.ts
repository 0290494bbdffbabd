import "server-only";
import { db } from "@/lib/db";
import type { TReadContext } from "@/lib/integrations/service/context";
import { parseSettingsKey } from "@/lib/integrations/settings-key";
import type { TApiKeyView } from "@/lib/api-keys/types";

/** The organization's keys, newest first, revoked ones included (never a key or its hash). */
export async function listApiKeys(ctx: TReadContext): Promise<TApiKeyView[]> {
  const prisma = await db();
  const keys = await prisma.apiKey.findMany({
    where: { orgId: ctx.orgId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      id: true,
      name: true,
      prefix: true,
      scope: true,
      createdAt: true,
      createdById: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      allowedConnections: true,
    },
  });
  const userIds = [...new Set(keys.map((k) => k.createdById).filter((id): id is string => id !== null))];
  const connectionIds = [...new Set(keys.flatMap((k) => k.allowedConnections))];
  const [users, connections] = await Promise.all([
    userIds.length ? prisma.user.findMany({ where: { id: { in: userIds }, memberships: { some: { orgId: ctx.orgId } } }, select: { id: true, email: true } }) : [],
    connectionIds.length ? prisma.setting.findMany({ where: { orgId: ctx.orgId, uuid: { in: connectionIds } }, select: { uuid: true, key: true } }) : [],
  ]);
  const emailOf = new Map(users.map((u) => [u.id, u.email]));
  const labelOf = new Map(
    connections.map((c) => {
      const parsed = parseSettingsKey(c.key);
      return [c.uuid, parsed ? `${parsed.provider}:${parsed.name}` : null];
    }),
  );
  const now = new Date();
  return keys.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scope: k.scope,
    createdAt: k.createdAt.toISOString(),
    createdByEmail: k.createdById ? (emailOf.get(k.createdById) ?? null) : null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    state: k.revokedAt ? "revoked" : k.expiresAt && k.expiresAt <= now ? "expired" : "active",
    allowedConnections: k.allowedConnections.map((uuid) => ({ uuid, label: labelOf.get(uuid) ?? null })),
  }));
}
