import { RelativeTime } from "@/components/ui/relative-time";
import type { TApiCallRow } from "@/lib/telemetry/service/list-api-calls";
import { AuditDetails } from "./audit-details";
import { stacked } from "./stacked-table";

function Outcome({ row }: { row: TApiCallRow }) {
  const ok = row.status < 400;
  return (
    <span className={ok ? "text-green-800 dark:text-green-300" : "text-red-700 dark:text-red-400"}>
      {row.status}
      {row.errorCode ? ` ${row.errorCode}` : ""}
    </span>
  );
}

export function ApiCallsTable({ rows }: { rows: TApiCallRow[] }) {
  return (
    // A keyboard user can scroll it too (long parameters may overflow): focusable, and named for screen readers.
    <div className={stacked.wrapper} tabIndex={0} role="region" aria-label="API calls">
      <table className={stacked.table}>
        <thead className={stacked.thead}>
          <tr>
            <th scope="col" className="px-4 py-3">When</th>
            <th scope="col" className="px-4 py-3">Key</th>
            <th scope="col" className="px-4 py-3">Call</th>
            <th scope="col" className="px-4 py-3">Outcome</th>
            <th scope="col" className="px-4 py-3">Time</th>
            <th scope="col" className="px-4 py-3">Parameters</th>
          </tr>
        </thead>
        <tbody className={stacked.tbody}>
          {rows.map((r) => (
            <tr key={r.id} data-operation={r.operation} className={stacked.row}>
              <td data-label="When" className={`${stacked.cell} whitespace-nowrap`}><RelativeTime iso={r.createdAt.toISOString()} /></td>
              <td data-label="Key" className={`${stacked.cell} break-all`}>{r.key ? `${r.key.name} (${r.key.prefix}…)` : "—"}</td>
              <td data-label="Call" className={stacked.cell}>
                <span>
                  <span className="font-mono text-xs">{r.operation}</span>
                  <span className="block text-xs break-all text-zinc-500 dark:text-zinc-400">{r.surface} · {r.route}</span>
                </span>
              </td>
              <td data-label="Outcome" className={`${stacked.cell} font-mono text-xs`}><Outcome row={r} /></td>
              <td data-label="Time" className={`${stacked.cell} text-xs whitespace-nowrap`}>{r.durationMs} ms</td>
              <td data-label="Parameters" className={`${stacked.cell} text-xs break-all`}><AuditDetails metadata={r.parameters} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="p-6 text-center text-sm text-zinc-500 dark:text-zinc-400">No API calls match.</p>}
    </div>
  );
}
