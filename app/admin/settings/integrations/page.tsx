import Link from "next/link";
import { AddConnectionDialog } from "@/components/integrations/add-connection-dialog";
import { Catalog } from "@/components/integrations/catalog";
import { ConnectionsTable } from "@/components/integrations/connections-table";
import { LiveRefresh } from "@/components/layout/live-refresh";
import { requireOperator } from "@/lib/auth/session";
import { toProviderSummary } from "@/lib/integrations/provider-view";
import { listIntegrations, listProviders } from "@/lib/integrations/service";
import { InvalidParamsNotice } from "@/components/ui/invalid-params-notice";
import { parseSearchParams, zPageParam, type TRawSearchParams } from "@/lib/validation/search-params";

export const dynamic = "force-dynamic";
export const metadata = { title: "Integrations" };

const PAGE_SIZE = 50;

export default async function IntegrationsPage({ searchParams }: { searchParams: Promise<TRawSearchParams> }) {
  const operator = await requireOperator();
  const { values: params, invalid } = parseSearchParams({ page: zPageParam }, await searchParams);
  const canEdit = operator.role === "admin";
  const connections = await listIntegrations({ orgId: operator.orgId });
  const counts = new Map<string, number>();
  for (const c of connections) counts.set(c.provider, (counts.get(c.provider) ?? 0) + 1);
  const providers = listProviders().map((p) => toProviderSummary(p, counts.get(p.key) ?? 0));
  const byKey = new Map(providers.map((p) => [p.key, p]));

  const pages = Math.max(1, Math.ceil(connections.length / PAGE_SIZE));
  const page = Math.min(pages, params.page);
  const shown = connections.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

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
          Connections <span className="text-sm font-normal text-zinc-500 dark:text-zinc-400">({connections.length})</span>
        </h2>
        {connections.length === 0 ? (
          <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center dark:border-zinc-700">
            <p className="font-medium">No connections yet</p>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              {canEdit
                ? "Start with “Add connection”, or pick a provider from the catalog below. Give it a name, then fill in its credentials."
                : "An admin of your organization can add the first connection."}
            </p>
          </div>
        ) : (
          <ConnectionsTable connections={shown} providers={byKey} canEdit={canEdit} />
        )}
        {pages > 1 && (
          <nav aria-label="Connections pages" className="mt-3 flex items-center gap-3 text-sm">
            {page > 1 && <Link href={`?page=${page - 1}`} className="underline">Previous</Link>}
            <span>
              Page {page} of {pages}
            </span>
            {page < pages && <Link href={`?page=${page + 1}`} className="underline">Next</Link>}
          </nav>
        )}
      </section>

      <Catalog providers={providers} canEdit={canEdit} />
    </>
  );
}
