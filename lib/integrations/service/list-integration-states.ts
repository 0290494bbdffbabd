import "server-only";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { listProviders } from "@/lib/integrations/providers/registry";
import { parseSettingsKey } from "@/lib/integrations/settings-key";
import type { TServiceContext } from "./context";

/** One catalog entry joined with the org's state (the admin API's list). */
export type TIntegrationState = {
  provider: string;
  /** "default" for the provider's own entry; named connections are listed after it. */
  connectionName: string;
  name: string;
  description: string;
  row: { createdAt: Date; updatedAt: Date; createdByEmail: string | null } | null;
};

/**
 * The catalog (every provider, its default connection) plus each named
 * connection of the organization, in ONE query, audited as
 * `list_integrations` {count, configuredCount}: which integrations an org has
 * activated is itself sensitive.
 */
export async function listIntegrationStates(ctx: TServiceContext): Promise<TIntegrationState[]> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const rows = await tx.setting.findMany({
      where: { orgId: ctx.orgId, key: { startsWith: "integration:" } },
      select: { key: true, createdAt: true, updatedAt: true, createdBy: { select: { email: true } } },
      orderBy: { key: "asc" },
    });
    const byProvider = new Map<string, Map<string, TIntegrationState["row"]>>();
    for (const r of rows) {
      const parsed = parseSettingsKey(r.key);
      if (!parsed) continue;
      const names = byProvider.get(parsed.provider) ?? new Map();
      names.set(parsed.name, { createdAt: r.createdAt, updatedAt: r.updatedAt, createdByEmail: r.createdBy?.email ?? null });
      byProvider.set(parsed.provider, names);
    }
    const states: TIntegrationState[] = [];
    for (const p of listProviders()) {
      const names = byProvider.get(p.key);
      states.push({ provider: p.key, connectionName: "default", name: p.name, description: p.description, row: names?.get("default") ?? null });
      for (const [name, row] of [...(names ?? [])].filter(([n]) => n !== "default").sort(([a], [b]) => a.localeCompare(b))) {
        states.push({ provider: p.key, connectionName: name, name: `${p.name} (${name})`, description: p.description, row });
      }
    }
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "list_integrations",
      metadata: { count: states.length, configuredCount: states.filter((s) => s.row !== null).length },
    });
    return states;
  });
}
