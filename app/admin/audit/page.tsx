import Link from "next/link";
import { inputClass } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { requireOperator } from "@/lib/auth/session";
import { listAuditLog } from "@/lib/audit/service/list-audit";
import { InvalidParamsNotice } from "@/components/ui/invalid-params-notice";
import { parseSearchParams, type TRawSearchParams } from "@/lib/validation/search-params";
import { AUDIT_SEARCH_PARAMS } from "./search-params";
import { AUDIT_ACTIONS } from "@/lib/audit/types";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit log" };

function pageHref(q: { action?: string; target?: string }, page: number): string {
  const p = new URLSearchParams();
  if (q.action) p.set("action", q.action);
  if (q.target) p.set("target", q.target);
  p.set("page", String(page));
  return `?${p}`;
}

/** The row's metadata as "key value" pairs (never secrets: the service writes names and ids only). */
function AuditDetails({ metadata }: { metadata: unknown }) {
  if (!metadata || typeof metadata !== "object") return <>—</>;
  // jsonb keeps keys in its own order (shortest first); alphabetical reads better and is stable.
  const entries = Object.entries(metadata as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <>—</>;
  return (
    <dl className="flex flex-wrap gap-x-3 gap-y-0.5">
      {entries.map(([key, value]) => (
        <div key={key} className="flex gap-1">
          <dt className="text-zinc-500 dark:text-zinc-400">{key}</dt>
          <dd className="font-mono">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<TRawSearchParams> }) {
  const operator = await requireOperator();
  const { values: query, invalid } = parseSearchParams(AUDIT_SEARCH_PARAMS, await searchParams);
  const { rows, hasMore, page } = await listAuditLog(operator.orgId, query);

  return (
    <>
      <InvalidParamsNotice invalid={invalid} />
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Every change to your organization&apos;s connections, newest first. Entries cannot be edited or deleted.</p>
      <form method="get" className="mt-6 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="audit-action" className="block text-xs font-medium text-zinc-600">Action</label>
          <select id="audit-action" name="action" defaultValue={query.action ?? ""} className={inputClass}>
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>{a}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-target" className="block text-xs font-medium text-zinc-600">Target id</label>
          <input id="audit-target" name="target" defaultValue={query.target ?? ""} placeholder="connection uuid" className={inputClass} />
        </div>
        <button type="submit" className={buttonClass("secondary")}>Filter</button>
        {(query.action || query.target) && <Link href="/admin/audit" className="text-sm underline">Clear</Link>}
      </form>
      <div className="mt-4 overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="min-w-full divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
          <thead className="bg-zinc-50 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400 uppercase dark:bg-zinc-900/50">
            <tr>
              <th scope="col" className="px-4 py-3">When</th>
              <th scope="col" className="px-4 py-3">Actor</th>
              <th scope="col" className="px-4 py-3">Action</th>
              <th scope="col" className="px-4 py-3">Target</th>
              <th scope="col" className="px-4 py-3">Details</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {rows.map((r) => (
              <tr key={r.id} data-action={r.action}>
                <td className="px-4 py-2 whitespace-nowrap"><RelativeTime iso={r.createdAt.toISOString()} /></td>
                <td className="px-4 py-2">{r.actorLabel ?? r.actorType}</td>
                <td className="px-4 py-2 font-mono text-xs">{r.action}</td>
                <td className="px-4 py-2 font-mono text-xs break-all">{r.targetId ? `${r.targetType}:${r.targetId}` : "—"}</td>
                <td className="px-4 py-2 text-xs break-all"><AuditDetails metadata={r.metadata} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p className="p-6 text-center text-sm text-zinc-500 dark:text-zinc-400">No entries match.</p>}
      </div>
      <nav aria-label="Audit pages" className="mt-3 flex gap-4 text-sm">
        {page > 1 && <Link href={pageHref(query, page - 1)} className="underline">Newer</Link>}
        <span>Page {page}</span>
        {hasMore && <Link href={pageHref(query, page + 1)} className="underline">Older</Link>}
      </nav>
    </>
  );
}
