import Link from "next/link";
import { ApiKeysTable } from "@/components/api-keys/api-keys-table";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { publicBaseUrl } from "@/lib/http/public-url";
import { listApiKeys } from "@/lib/api-keys/service/list-api-keys";
import { requireOperator } from "@/lib/auth/session";
import { getProvider } from "@/lib/integrations/providers/registry";
import { listConnectionChoices } from "@/lib/integrations/service";

export const dynamic = "force-dynamic";
export const metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const operator = await requireOperator();
  const [keys, connections] = await Promise.all([listApiKeys(operator), listConnectionChoices(operator)]);
  const baseUrl = publicBaseUrl();
  const choices = connections.map((c) => ({ uuid: c.uuid, label: `${getProvider(c.provider)?.name ?? c.provider} · ${c.name}` }));

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Keys let scripts, automation and AI agents configure integrations through the REST API, Power Automate and MCP. Each key belongs to
          this organization; it never reaches another one. See the <Link href="/admin/api-docs" className="underline">API docs</Link>.
        </p>
      </div>
      {operator.role === "admin" && (
        <section aria-labelledby="create-key-title" className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="create-key-title" className="text-base font-semibold">Create a key</h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">The key is shown once, right after you create it.</p>
          <div className="mt-4">
            <CreateApiKeyForm connections={choices} baseUrl={baseUrl} />
          </div>
        </section>
      )}
      <section aria-labelledby="keys-title">
        <h2 id="keys-title" className="text-base font-semibold">Keys</h2>
        <ApiKeysTable keys={keys} canRevoke={operator.role === "admin"} />
      </section>
    </div>
  );
}
