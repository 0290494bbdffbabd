import Link from "next/link";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { AuditTabs } from "@/components/audit/audit-tabs";
import { VerifyChain } from "@/components/audit/verify-chain";
import { requireOperator } from "@/lib/auth/session";
import { auditConnectionOptions } from "@/lib/audit/service/connection-history";
import { describeAuditTargets } from "@/lib/audit/service/describe-targets";
import { listAuditLog, type TAuditQuery } from "@/lib/audit/service/list-audit";
import { InvalidParamsNotice } from "@/components/ui/invalid-params-notice";
import { parseSearchParams, type TRawSearchParams } from "@/lib/validation/search-params";
import { AUDIT_SEARCH_PARAMS } from "./search-params";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit log" };

function pageHref(q: TAuditQuery, page: number): string {
  const p = new URLSearchParams();
  if (q.action) p.set("action", q.action);
  if (q.target) p.set("target", q.target);
  p.set("page", String(page));
  return `?${p}`;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<TRawSearchParams> }) {
  const operator = await requireOperator();
  // Each filter is checked before it reaches a query; an unusable one is dropped and named on the page.
  const { values: query, invalid } = parseSearchParams(AUDIT_SEARCH_PARAMS, await searchParams);
  const [{ rows, hasMore, page }, connections] = await Promise.all([listAuditLog(operator.orgId, query), auditConnectionOptions(operator.orgId)]);
  const targets = await describeAuditTargets(operator.orgId, rows);

  return (
    <>
      <InvalidParamsNotice invalid={invalid} />
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Audit log</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Every change to your organization&apos;s connections and API keys, newest first. Entries cannot be edited or deleted, and each one is
            chained to the one before it by its hash, so a changed or removed entry shows up when you verify the chain.
          </p>
        </div>
        <VerifyChain />
      </div>
      <AuditTabs current="/admin/audit" />
      <AuditFilters action={query.action} target={query.target} connections={connections} />
      <AuditTable rows={rows} targets={targets} />
      <nav aria-label="Audit pages" className="mt-3 flex gap-4 text-sm">
        {page > 1 && <Link href={pageHref(query, page - 1)} className="underline">Newer</Link>}
        <span>Page {page}</span>
        {hasMore && <Link href={pageHref(query, page + 1)} className="underline">Older</Link>}
      </nav>
    </>
  );
}
