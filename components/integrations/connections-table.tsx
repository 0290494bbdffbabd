import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import type { TConnectionListRow } from "@/lib/integrations/service/list-connection-page";
import { providerIcon } from "@/lib/integrations/providers/icons";
import { ProviderIcon } from "./provider-icon";
import { RowActions } from "./row-actions";
import { SecretsUnreadable } from "./secrets-unreadable";
import { StatusBadge } from "./status-badge";
import type { TProviderSummary } from "./types";

/** Consecutive runs of one provider (the service pages connections by provider, default first). */
function groupByProvider(connections: TConnectionListRow[]): TConnectionListRow[][] {
  const groups: TConnectionListRow[][] = [];
  for (const c of connections) {
    const last = groups.at(-1);
    if (last && last[0]!.provider === c.provider) last.push(c);
    else groups.push([c]);
  }
  return groups;
}

// Below 640 px each row is a stacked card (grid areas, app/globals.css
// `.conn-*`), the provider header sits above its group's cards, and the column
// headers stay for screen readers only; the visible "Account" / "Last tested"
// captions are for sighted readers (the headers already name those cells to
// assistive tech). The row and cell styles are CSS classes rather than
// utility lists: they repeat on every row, in the HTML and in the RSC payload.
/** The org's connections, grouped by provider: one row group per provider, its name spanning the group. */
export function ConnectionsTable(props: { connections: TConnectionListRow[]; providers: Map<string, TProviderSummary>; canEdit: boolean }) {
  return (
    // relative: the screen-reader-only header stays inside this scroll box instead of widening the page.
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="min-w-full text-sm max-sm:block">
        <thead className="bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase max-sm:sr-only dark:bg-zinc-900/50 dark:text-zinc-400">
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
            <tbody
              key={group[0]!.provider}
              data-provider={group[0]!.provider}
              className="divide-y divide-zinc-100 border-t border-zinc-200 max-sm:block max-sm:first-of-type:border-t-0 dark:divide-zinc-800 dark:border-zinc-800"
            >
              {group.map((c, index) => {
                const label = `${providerName} “${c.name}”`;
                return (
                  <tr key={c.uuid} data-connection={c.uuid} className="conn-row">
                    {index === 0 && (
                      <th
                        scope="rowgroup"
                        rowSpan={group.length}
                        className="conn-provider"
                      >
                        <span className="flex items-center gap-2">
                          <ProviderIcon provider={{ name: providerName, icon: provider?.icon ?? providerIcon("generic") }} size={24} />
                          {providerName}
                        </span>
                      </th>
                    )}
                    <td className="conn-name">
                      <Link href={`/admin/settings/integrations/${c.uuid}`} className="hover:underline">
                        {c.name}
                      </Link>
                    </td>
                    <td className="conn-account">
                      <span aria-hidden="true" className="conn-caption">
                        Account
                      </span>
                      {c.account ?? "—"}
                    </td>
                    <td className="conn-status">
                      <StatusBadge status={c.status} />
                      {c.secretsUnreadable && <SecretsUnreadable />}
                      {c.validationStatus && <p className="conn-validation">{c.validationStatus}</p>}
                    </td>
                    <td className="conn-tested">
                      <span aria-hidden="true" className="conn-caption">
                        Last tested
                      </span>
                      <RelativeTime iso={c.lastValidatedAt} />
                    </td>
                    <td className="conn-actions">
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
