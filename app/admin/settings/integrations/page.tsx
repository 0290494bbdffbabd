import { AddConnectionDialog } from "@/components/integrations/add-connection-dialog";
import { Catalog } from "@/components/integrations/catalog";
import { ConnectionsPager } from "@/components/integrations/connections-pager";
import { ConnectionsSearch } from "@/components/integrations/connections-search";
import { ConnectionsTable } from "@/components/integrations/connections-table";
import { LiveRefresh } from "@/components/layout/live-refresh";
import { requireOperator } from "@/lib/auth/session";
import { toProviderSummary } from "@/lib/integrations/provider-view";
import { listConnectionPage, listProviders, LIST_QUERY_MAX, ZListQuery } from "@/lib/integrations/service";
import { InvalidParamsNotice } from "@/components/ui/invalid-params-notice";
import { parseSearchParams, zPageParam, type TRawSearchParams } from "@/lib/validation/search-params";

export const dynamic = "force-dynamic";
export const metadata = { title: "Integrations" };

const PATH = "/admin/settings/integrations";
const NUMBER = new Intl.NumberFormat("en-US");

export default async function IntegrationsPage({ searchParams }: { searchParams: Promise<TRawSearchParams> }) {
  const operator = await requireOperator();
  const { values: params, invalid } = parseSearchParams({ page: zPageParam, q: ZListQuery.default("") }, await searchParams);
  const canEdit = operator.role === "admin";
  const list = await listConnectionPage({ orgId: operator.orgId }, { page: params.page, q: params.q });
  const providers = listProviders().map((p) => toProviderSummary(p, list.countsByProvider[p.key] ?? 0));
  const byKey = new Map(providers.map((p) => [p.key, p]));

  return (
    <>
      <LiveRefresh />
      <InvalidParamsNotice invalid={invalid} />
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="max-w-2xl">
          <h1 className="text-2xl font-semibold">Integrations</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Credentials for the external services your organization connects to. Consumers pin a connection&apos;s id, so renaming never breaks them.
          </p>
        </div>
        {canEdit && <AddConnectionDialog providers={providers.map(({ key, name, enabled }) => ({ key, name, enabled }))} />}
      </header>

      <section aria-labelledby="connections-title" className="mt-8">
        <h2 id="connections-title" className="mb-3 text-lg font-semibold">
          Connections <span className="text-sm font-normal text-zinc-500 dark:text-zinc-400">({NUMBER.format(list.total)})</span>
        </h2>
        {list.total === 0 ? (
          <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center dark:border-zinc-700">
            <p className="font-medium">No connections yet</p>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              {canEdit
                ? "Start with “Add connection”, or pick a provider from the catalog below. Give it a name, then fill in its credentials."
                : "An admin of your organization can add the first connection."}
            </p>
          </div>
        ) : (
          <>
            <ConnectionsSearch path={PATH} q={list.q} maxLength={LIST_QUERY_MAX} />
            {list.matching === 0 ? (
              <div role="status" className="rounded-lg border border-dashed border-zinc-300 p-8 text-center dark:border-zinc-700">
                <p className="font-medium">No connections match “{list.q}”</p>
                <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Search looks at the provider and the connection name. Try fewer letters, or clear the search.</p>
              </div>
            ) : (
              <>
                <ConnectionsTable connections={list.rows} providers={byKey} canEdit={canEdit} />
                <ConnectionsPager path={PATH} page={list.page} pages={list.pages} pageSize={list.pageSize} matching={list.matching} q={list.q} />
              </>
            )}
          </>
        )}
      </section>

      <Catalog providers={providers} canEdit={canEdit} />
    </>
  );
}
