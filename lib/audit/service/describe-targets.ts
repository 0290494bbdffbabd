import "server-only";
import { getProvider } from "@/lib/integrations/providers/registry";
import { connectionsByIntegrationKey, existingConnections } from "./connection-history";
import type { TAuditRow } from "./list-audit";

// How the audit page shows a row's target: a connection as its provider and
// name, linked while it exists (with the current name), otherwise the name it
// had when the row was written; an API key as its name and prefix.

export type TTargetView =
  | { kind: "connection"; providerName: string; name: string; href: string | null; id: string }
  | { kind: "api_key"; label: string; id: string }
  | { kind: "other"; text: string }
  | { kind: "none" };

const connectionHref = (uuid: string) => `/admin/settings/integrations/${uuid}`;
const providerName = (key: string) => getProvider(key)?.name ?? key;

function str(m: Record<string, unknown>, k: string): string | null {
  return typeof m[k] === "string" ? (m[k] as string) : null;
}

export async function describeAuditTargets(orgId: string, rows: TAuditRow[]): Promise<Map<string, TTargetView>> {
  const uuids = [...new Set(rows.filter((r) => r.targetType === "connection" && r.targetId).map((r) => r.targetId!))];
  const keys = [...new Set(rows.filter((r) => r.targetType === "integration" && r.targetId).map((r) => r.targetId!))];
  const [existing, byKey] = await Promise.all([existingConnections(orgId, uuids), connectionsByIntegrationKey(orgId, keys)]);
  const views = new Map<string, TTargetView>();
  for (const r of rows) {
    const m = (r.metadata ?? {}) as Record<string, unknown>;
    if (!r.targetId) {
      views.set(r.id, { kind: "none" });
    } else if (r.targetType === "connection") {
      const now = existing.get(r.targetId);
      const provider = now?.provider ?? str(m, "provider") ?? "?";
      const name = now?.name ?? str(m, "to") ?? str(m, "name") ?? "?";
      views.set(r.id, { kind: "connection", providerName: providerName(provider), name, href: now ? connectionHref(r.targetId) : null, id: r.targetId });
    } else if (r.targetType === "integration") {
      const [provider = "", name = "default"] = r.targetId.split(":");
      const uuid = byKey.get(r.targetId);
      views.set(r.id, { kind: "connection", providerName: providerName(provider), name, href: uuid ? connectionHref(uuid) : null, id: r.targetId });
    } else if (r.targetType === "api_key") {
      const label = str(m, "name") ? `${str(m, "name")} (${str(m, "prefix") ?? "?"}…)` : r.targetId;
      views.set(r.id, { kind: "api_key", label, id: r.targetId });
    } else {
      views.set(r.id, { kind: "other", text: `${r.targetType}:${r.targetId}` });
    }
  }
  return views;
}
