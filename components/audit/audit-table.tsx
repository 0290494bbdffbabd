import { RelativeTime } from "@/components/ui/relative-time";
import type { TTargetView } from "@/lib/audit/service/describe-targets";
import type { TAuditRow } from "@/lib/audit/service/list-audit";
import { AuditDetails } from "./audit-details";
import { AuditTarget } from "./audit-target";
import { stacked } from "./stacked-table";

function Actor({ row }: { row: TAuditRow }) {
  const label = row.actorLabel ?? row.actorType;
  if (row.actorType !== "api_key") return <span className="break-all">{label}</span>;
  return (
    <span className="break-all">
      <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">API key</span> {label}
    </span>
  );
}

export function AuditTable({ rows, targets }: { rows: TAuditRow[]; targets: Map<string, TTargetView> }) {
  return (
    // A keyboard user can scroll it too (long parameters may overflow): focusable, and named for screen readers.
    <div className={stacked.wrapper} tabIndex={0} role="region" aria-label="Audit log entries">
      <table className={stacked.table}>
        <thead className={stacked.thead}>
          <tr>
            <th scope="col" className="px-4 py-3">When</th>
            <th scope="col" className="px-4 py-3">Actor</th>
            <th scope="col" className="px-4 py-3">Action</th>
            <th scope="col" className="px-4 py-3">Target</th>
            <th scope="col" className="px-4 py-3">Details</th>
          </tr>
        </thead>
        <tbody className={stacked.tbody}>
          {rows.map((r) => (
            <tr key={r.id} data-action={r.action} data-seq={r.seq} className={stacked.row}>
              <td data-label="When" className={`${stacked.cell} whitespace-nowrap`}><RelativeTime iso={r.createdAt.toISOString()} /></td>
              <td data-label="Actor" className={stacked.cell}><Actor row={r} /></td>
              <td data-label="Action" className={`${stacked.cell} font-mono text-xs`}>{r.action}</td>
              <td data-label="Target" className={`${stacked.cell} text-sm`}><AuditTarget view={targets.get(r.id)} /></td>
              <td data-label="Details" className={`${stacked.cell} text-xs break-all`}><AuditDetails metadata={r.metadata} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="p-6 text-center text-sm text-zinc-500 dark:text-zinc-400">No entries match.</p>}
    </div>
  );
}
