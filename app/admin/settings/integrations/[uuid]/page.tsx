import Link from "next/link";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { DangerZone } from "@/components/integrations/danger-zone";
import { ProviderIcon } from "@/components/integrations/provider-icon";
import { RenameInline } from "@/components/integrations/rename-inline";
import { SetupForm } from "@/components/integrations/setup-form";
import { SetupInstructions } from "@/components/integrations/setup-instructions";
import { SecretsUnreadable } from "@/components/integrations/secrets-unreadable";
import { SetupSummary } from "@/components/integrations/setup-summary";
import { StatusBadge } from "@/components/integrations/status-badge";
import { requireOperator } from "@/lib/auth/session";
import { toProviderForm } from "@/lib/integrations/provider-view";
import { oauthRedirectUri } from "@/lib/integrations/oauth/redirect-uri";
import { getProvider } from "@/lib/integrations/providers/registry";
import { getIntegrationByUuid } from "@/lib/integrations/service";

export const dynamic = "force-dynamic";
export const metadata = { title: "Connection" };


export default async function IntegrationPage({ params }: { params: Promise<{ uuid: string }> }) {
  const operator = await requireOperator();
  const { uuid } = await params;
  const found = await getIntegrationByUuid({ orgId: operator.orgId }, uuid);
  if (!found.ok) notFound();
  const connection = found.value;
  const registered = getProvider(connection.provider);
  if (!registered) notFound();
  const provider = toProviderForm(registered);
  const canEdit = operator.role === "admin";
  const account = connection.account.email ?? connection.account.name;
  const label = `${provider.name} “${connection.name}”`;

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/admin/settings/integrations" className="text-zinc-600 hover:underline dark:text-zinc-400">
          ← Integrations
        </Link>
      </nav>
      <header className="flex items-start gap-4">
        <ProviderIcon provider={provider} size={44} />
        <div className="min-w-0 flex-1 space-y-2">
          <RenameInline uuid={connection.uuid} providerName={provider.name} name={connection.name} canEdit={canEdit} />
          <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
            <StatusBadge status={connection.status} />
            {account && <span>Connected as {account}</span>}
            <span>
              Last tested <RelativeTime iso={connection.lastValidatedAt} />
            </span>
            <span className="font-mono text-xs" title="Consumers pin this id; it never changes.">
              id {connection.uuid}
            </span>
          </p>
          {connection.validationStatus && <p className="text-sm text-zinc-600 dark:text-zinc-400">{connection.validationStatus}</p>}
          {connection.secretsUnreadable && <SecretsUnreadable detail />}
        </div>
      </header>

      <Card title="Step 1 — Credentials" description={provider.description}>
        <div className="space-y-5">
          <SetupInstructions
            providerName={provider.name}
            steps={provider.instructions}
            docsUrl={provider.docsUrl}
            redirectUri={provider.authType === "oauth2" ? oauthRedirectUri("http://localhost:3000") : null}
          />
          {canEdit ? (
            <SetupForm
              uuid={connection.uuid}
              fields={provider.setupFields}
              values={connection.setup}
              secretsSet={connection.secretsSet}
              secretsUnreadable={connection.secretsUnreadable}
            />
          ) : (
            <SetupSummary fields={provider.setupFields} values={connection.setup} secretsSet={connection.secretsSet} secretsUnreadable={connection.secretsUnreadable} />
          )}
        </div>
      </Card>

      {canEdit && (
        <DangerZone uuid={connection.uuid} label={label} isOAuth={provider.authType === "oauth2"} usedBy={provider.usedBy} secretsUnreadable={connection.secretsUnreadable} />
      )}
      {!canEdit && <p className="text-sm text-zinc-500 dark:text-zinc-400">You have read-only access. Ask an admin to change this connection.</p>}
    </div>
  );
}
