import Link from "next/link";
import { ApiCallsTable } from "@/components/audit/api-calls-table";
import { AuditTabs } from "@/components/audit/audit-tabs";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { TOOLS } from "@/lib/admin-api/tools";
import { listApiKeys } from "@/lib/api-keys/service/list-api-keys";
import { requireOperator } from "@/lib/auth/session";
import { listApiCalls, ZApiCallQuery, type TApiCallQuery } from "@/lib/telemetry/service/list-api-calls";

export const dynamic = "force-dynamic";
export const metadata = { title: "API calls" };

const OPERATIONS = [...TOOLS.map((t) => t.name), "initialize", "tools/list"];

function pageHref(q: TApiCallQuery, page: number): string {
  const p = new URLSearchParams();
  for (const k of ["surface", "key", "outcome", "operation"] as const) if (q[k]) p.set(k, q[k]!);
  p.set("page", String(page));
  return `?${p}`;
}

function Select(props: { id: string; name: string; label: string; value?: string; options: [string, string][] }) {
  return (
    <div className="min-w-0 max-sm:w-full">
      <label htmlFor={props.id} className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">{props.label}</label>
      <select id={props.id} name={props.name} defaultValue={props.value ?? ""} className={inputClass}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>{label}</option>
        ))}
      </select>
    </div>
  );
}

export default async function ApiCallsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const operator = await requireOperator();
  const query = ZApiCallQuery.parse(await searchParams);
  const [{ rows, hasMore, page }, keys] = await Promise.all([listApiCalls(operator.orgId, query), listApiKeys(operator)]);
  const filtered = Boolean(query.surface || query.key || query.outcome || query.operation);

  return (
    <>
      <h1 className="text-2xl font-semibold">API calls</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Recent calls made with your organization&apos;s API keys over REST, Power Automate and MCP, newest first. Only each tool&apos;s
        declared parameters are stored (others are counted as _undeclared), sensitive ones as &lt;redacted&gt;.
      </p>
      <AuditTabs current="/admin/audit/api-calls" />
      <form key={JSON.stringify(query)} method="get" className="mt-6 flex flex-wrap items-end gap-3">
        <Select id="calls-surface" name="surface" label="Surface" value={query.surface} options={[["", "All surfaces"], ["rest", "REST"], ["mcp", "MCP"], ["powerautomate", "Power Automate"]]} />
        <Select id="calls-key" name="key" label="Key" value={query.key} options={[["", "All keys"], ...keys.map((k) => [k.id, `${k.name} (${k.prefix}…)`] as [string, string])]} />
        <Select id="calls-operation" name="operation" label="Tool" value={query.operation} options={[["", "All tools"], ...OPERATIONS.map((o) => [o, o] as [string, string])]} />
        <Select id="calls-outcome" name="outcome" label="Outcome" value={query.outcome} options={[["", "Any outcome"], ["ok", "Succeeded"], ["error", "Refused or failed"]]} />
        <button type="submit" className={buttonClass("secondary")}>Filter</button>
        {filtered && <Link href="/admin/audit/api-calls" className="text-sm underline">Clear</Link>}
      </form>
      <ApiCallsTable rows={rows} />
      <nav aria-label="API call pages" className="mt-3 flex gap-4 text-sm">
        {page > 1 && <Link href={pageHref(query, page - 1)} className="underline">Newer</Link>}
        <span>Page {page}</span>
        {hasMore && <Link href={pageHref(query, page + 1)} className="underline">Older</Link>}
      </nav>
    </>
  );
}
