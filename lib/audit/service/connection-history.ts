import "server-only";
import { db } from "@/lib/db";
import { parseSettingsKey } from "@/lib/integrations/settings-key";

// What the audit log knows about connections: the ones that exist, the ones
// that were removed (with the provider and name they had), and the
// integration keys one connection has had across renames.

type TNamed = { provider: string; name: string };

function metadataNames(metadata: unknown): TNamed[] {
  const m = (metadata ?? {}) as Record<string, unknown>;
  if (typeof m.provider !== "string") return [];
  return [m.name, m.from, m.to].filter((n): n is string => typeof n === "string").map((name) => ({ provider: m.provider as string, name }));
}

function canonical({ provider, name }: TNamed): string {
  return name === "default" ? provider : `${provider}:${name}`;
}

/** The admin API's integration keys (`provider`, `provider:name`) this connection has had. */
export async function connectionIntegrationKeys(orgId: string, uuid: string): Promise<string[]> {
  const prisma = await db();
  const [row, history] = await Promise.all([
    prisma.setting.findFirst({ where: { orgId, uuid }, select: { key: true } }),
    prisma.auditLog.findMany({ where: { orgId, targetType: "connection", targetId: uuid }, select: { metadata: true }, take: 1000 }),
  ]);
  const named = history.flatMap((h) => metadataNames(h.metadata));
  const current = row ? parseSettingsKey(row.key) : null;
  if (current) named.push(current);
  return [...new Set(named.map(canonical))];
}

export type TConnectionOption = { uuid: string; provider: string; name: string; removed: boolean };

/** The audit page's connection picker: existing connections, then removed ones the log still mentions. */
export async function auditConnectionOptions(orgId: string): Promise<TConnectionOption[]> {
  const prisma = await db();
  const [rows, removed] = await Promise.all([
    prisma.setting.findMany({ where: { orgId, key: { startsWith: "integration:" } }, select: { uuid: true, key: true }, orderBy: { key: "asc" } }),
    prisma.auditLog.findMany({
      where: { orgId, action: "connection_removed", targetType: "connection" },
      select: { targetId: true, metadata: true },
      orderBy: { createdAt: "desc" },
      take: 500,
    }),
  ]);
  const options: TConnectionOption[] = [];
  for (const r of rows) {
    const parsed = parseSettingsKey(r.key);
    if (parsed) options.push({ uuid: r.uuid, ...parsed, removed: false });
  }
  const seen = new Set(options.map((o) => o.uuid));
  for (const r of removed) {
    const named = metadataNames(r.metadata)[0];
    if (!r.targetId || !named || seen.has(r.targetId)) continue;
    seen.add(r.targetId);
    options.push({ uuid: r.targetId, ...named, removed: true });
  }
  return options;
}

/** Which of these connection uuids still exist in the org, with their current provider and name. */
export async function existingConnections(orgId: string, uuids: string[]): Promise<Map<string, TNamed>> {
  if (uuids.length === 0) return new Map();
  const prisma = await db();
  const rows = await prisma.setting.findMany({ where: { orgId, uuid: { in: uuids } }, select: { uuid: true, key: true } });
  return new Map(rows.flatMap((r) => {
    const parsed = parseSettingsKey(r.key);
    return parsed ? [[r.uuid, parsed] as const] : [];
  }));
}

/** The uuids of the connections these integration keys name today. */
export async function connectionsByIntegrationKey(orgId: string, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const settingsKeys = keys.map((k) => {
    const [provider, name = "default"] = k.split(":");
    return `integration:${provider}:${name}`;
  });
  const prisma = await db();
  const rows = await prisma.setting.findMany({ where: { orgId, key: { in: settingsKeys } }, select: { uuid: true, key: true } });
  const out = new Map<string, string>();
  for (const r of rows) {
    const parsed = parseSettingsKey(r.key);
    if (parsed) out.set(canonical(parsed), r.uuid);
  }
  return out;
}
