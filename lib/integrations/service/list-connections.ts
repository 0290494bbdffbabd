import "server-only";
import { db } from "@/lib/db";
import type { TConnection } from "@/lib/integrations/connection-value";
import { listProviders as registryProviders } from "@/lib/integrations/providers/registry";
import type { Provider } from "@/lib/integrations/providers/types";
import { parseSettingsKey, providerKeyPrefix } from "@/lib/integrations/settings-key";
import { CONNECTION_SELECT, toConnection } from "./connection-row";
import type { TReadContext } from "./context";

/** "default" first, then by name. */
function byDefaultThenName(a: TConnection, b: TConnection): number {
  if (a.name === "default" || b.name === "default") return a.name === "default" ? -1 : 1;
  return a.name.localeCompare(b.name);
}

/** Connections of many providers in ONE query, grouped by provider key. */
export async function loadAllConnections(ctx: TReadContext, providers: string[]): Promise<Record<string, TConnection[]>> {
  const wanted = [...new Set(providers)];
  const grouped: Record<string, TConnection[]> = Object.fromEntries(wanted.map((p) => [p, []]));
  if (wanted.length === 0) return grouped;
  const prisma = await db();
  const rows = await prisma.setting.findMany({
    where: { orgId: ctx.orgId, OR: wanted.map((p) => ({ key: { startsWith: providerKeyPrefix(p) } })) },
    select: CONNECTION_SELECT,
  });
  for (const row of rows) {
    const provider = parseSettingsKey(row.key)?.provider;
    if (provider && grouped[provider]) grouped[provider].push(toConnection(row));
  }
  for (const list of Object.values(grouped)) list.sort(byDefaultThenName);
  return grouped;
}

export async function listConnections(ctx: TReadContext, provider: string): Promise<TConnection[]> {
  return (await loadAllConnections(ctx, [provider]))[provider] ?? [];
}

/** Every connection of the organization, grouped order: provider, then default first. */
export async function listIntegrations(ctx: TReadContext): Promise<TConnection[]> {
  const prisma = await db();
  const rows = await prisma.setting.findMany({
    where: { orgId: ctx.orgId, key: { startsWith: "integration:" } },
    select: CONNECTION_SELECT,
    orderBy: { key: "asc" },
  });
  return rows.map((row) => toConnection(row)).sort((a, b) => a.provider.localeCompare(b.provider) || byDefaultThenName(a, b));
}

export function listProviders(): Provider[] {
  return registryProviders();
}
