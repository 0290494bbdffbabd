import { stacked } from "@/components/audit/stacked-table";
import { RelativeTime } from "@/components/ui/relative-time";
import type { TApiKeyView } from "@/lib/api-keys/types";
import { RevokeKeyButton } from "./revoke-key-button";

const SCOPE_BADGE: Record<TApiKeyView["scope"], string> = {
  admin: "bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200",
  user: "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  consumer: "bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
};

function State({ k, canRevoke }: { k: TApiKeyView; canRevoke: boolean }) {
  if (k.state === "revoked") return <span className="text-red-700 dark:text-red-400">Revoked <RelativeTime iso={k.revokedAt} /></span>;
  if (k.state === "expired") return <span className="text-red-700 dark:text-red-400">Expired</span>;
  return canRevoke ? <RevokeKeyButton id={k.id} label={`${k.name} (${k.prefix}…)`} /> : <span>Active</span>;
}

export function ApiKeysTable({ keys, canRevoke }: { keys: TApiKeyView[]; canRevoke: boolean }) {
  if (keys.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">No API keys yet.</p>;
  return (
    <div className={stacked.wrapper}>
      <table className={stacked.table}>
        <thead className={stacked.thead}>
          <tr>
            <th scope="col" className="px-4 py-3">Name</th>
            <th scope="col" className="px-4 py-3">Scope</th>
            <th scope="col" className="px-4 py-3">Key</th>
            <th scope="col" className="px-4 py-3">Created</th>
            <th scope="col" className="px-4 py-3">Last used</th>
            <th scope="col" className="px-4 py-3">Expires</th>
            <th scope="col" className="px-4 py-3"><span className="sr-only">State</span></th>
          </tr>
        </thead>
        <tbody className={stacked.tbody}>
          {keys.map((k) => (
            <tr key={k.id} data-key-id={k.id} className={stacked.row}>
              <td data-label="Name" className={`${stacked.cell} font-medium break-all`}>
                <span>
                  {k.name}
                  {k.scope === "consumer" && (
                    <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">
                      Reads: {k.allowedConnections.map((c) => c.label ?? `${c.uuid} (removed)`).join(", ")}
                    </span>
                  )}
                </span>
              </td>
              <td data-label="Scope" className={stacked.cell}>
                <span className={`rounded px-1.5 py-0.5 text-xs ${SCOPE_BADGE[k.scope]}`}>{k.scope}</span>
              </td>
              <td data-label="Key" className={`${stacked.cell} font-mono text-xs`}>{k.prefix}…</td>
              <td data-label="Created" className={`${stacked.cell} text-xs`}>
                <span>
                  <RelativeTime iso={k.createdAt} />
                  {k.createdByEmail && <span className="block break-all text-zinc-500 dark:text-zinc-400">by {k.createdByEmail}</span>}
                </span>
              </td>
              <td data-label="Last used" className={`${stacked.cell} text-xs`} data-testid="last-used"><RelativeTime iso={k.lastUsedAt} /></td>
              <td data-label="Expires" className={`${stacked.cell} text-xs`}>{k.expiresAt ? <RelativeTime iso={k.expiresAt} /> : "never"}</td>
              <td data-label="State" className={`${stacked.cell} text-xs`}><State k={k} canRevoke={canRevoke} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
