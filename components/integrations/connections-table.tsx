import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import type { TConnection } from "@/lib/integrations/connection-value";
import { ProviderIcon } from "./provider-icon";
import { RowActions } from "./row-actions";
import { SecretsUnreadable } from "./secrets-unreadable";
import { StatusBadge } from "./status-badge";
import type { TProviderSummary } from "./types";

function accountOf(c: TConnection): string {
  return c.account.email ?? c.account.name ?? c.account.id ?? "—";
}

/** Consecutive runs of one provider (the service lists connections by provider, default first). */
function groupByProvider(connections: TConnection[]): TConnection[][] {
  const groups: TConnection[][] = [];
  for (const c of connections) {
    const last = groups.at(-1);
    if (last && last[0]!.provider === c.provider) last.push(c);
    else groups.push([c]);
  }
  return groups;
}

/** The org's connections, grouped by provider: one row group per provider, its name spanning the group. */
export function ConnectionsTable(props: { connections: TConnection[]; providers: Map<string, TProviderSummary>; canEdit: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="min-w-full text-sm">
        <thead className="bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-500 dark:text-zinc-400 uppercase dark:bg-zinc-900/50">
          <tr>
            <th scope="col" className="px-4 py-3">Provider</th>
            <th scope="col" className="px-4 py-3">Name</th>
            <th scope="col" className="px-4 py-3">Account</th>
            <th scope="col" className="px-4 py-3">Status</th>
            <th scope="col" className="px-4 py-3">Last tested</th>
            <th scope="col" className="px-4 py-3"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        {groupByProvider(props.connections).map((group) => {
          const provider = props.providers.get(group[0]!.provider);
          const providerName = provider?.name ?? group[0]!.provider;
          return (
            <tbody key={group[0]!.provider} data-provider={group[0]!.provider} className="divide-y divide-zinc-100 border-t border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
              {group.map((c, index) => {
                const label = `${providerName} “${c.name}”`;
                return (
                  <tr key={c.uuid} data-connection={c.uuid}>
                    {index === 0 && (
                      <th scope="rowgroup" rowSpan={group.length} className="px-4 py-3 text-left align-top font-normal">
                        <span className="flex items-center gap-2">
                          <ProviderIcon provider={{ name: providerName, icon: provider?.icon ?? null }} size={24} />
                          {providerName}
                        </span>
                      </th>
                    )}
                    <td className="px-4 py-3 font-medium">
                      <Link href={`/admin/settings/integrations/${c.uuid}`} className="hover:underline">
                        {c.name}
                      </Link>
                    </td>
                    <td className="px-4 py-3 text-zinc-600 dark:text-zinc-400">{accountOf(c)}</td>
                    <td className="px-4 py-3">
                      <StatusBadge status={c.status} />
                      {c.secretsUnreadable && <SecretsUnreadable />}
                      {c.validationStatus && <p className="mt-1 max-w-xs text-xs text-zinc-500 dark:text-zinc-400">{c.validationStatus}</p>}
                    </td>
                    <td className="px-4 py-3 text-zinc-600 dark:text-zinc-400">
                      <RelativeTime iso={c.lastValidatedAt} />
                    </td>
                    <td className="px-4 py-3">
                      <RowActions uuid={c.uuid} label={label} usedBy={provider?.usedBy ?? []} canEdit={props.canEdit} secretsUnreadable={c.secretsUnreadable} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          );
        })}
      </table>
    </div>
  );
}
