import Link from "next/link";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { ConnectAccount } from "@/components/integrations/connect-account";
import { DangerZone } from "@/components/integrations/danger-zone";
import { LiveRefresh } from "@/components/layout/live-refresh";
import { ProviderIcon } from "@/components/integrations/provider-icon";
import { RenameInline } from "@/components/integrations/rename-inline";
import { SetupForm } from "@/components/integrations/setup-form";
import { SetupInstructions } from "@/components/integrations/setup-instructions";
import { SecretsUnreadable } from "@/components/integrations/secrets-unreadable";
import { SetupSummary } from "@/components/integrations/setup-summary";
import { StatusBadge } from "@/components/integrations/status-badge";
import { TestRowButton } from "@/components/integrations/test-connection-row";
import { TokenStatus } from "@/components/integrations/token-status";
import { actorOf, requireOperator } from "@/lib/auth/session";
import { toProviderForm } from "@/lib/integrations/provider-view";
import { oauthRedirectUri } from "@/lib/integrations/oauth/redirect-uri";
import { getProvider } from "@/lib/integrations/providers/registry";
import { getAuthorizationOutcome, getIntegrationByUuid } from "@/lib/integrations/service";

export const dynamic = "force-dynamic";
export const metadata = { title: "Connection" };


type TSearch = { oauth?: string | string[]; oauth_error?: string | string[] };
const OAUTH_REFUSALS: Record<string, string> = {
  expired: "The connection attempt expired (10 minutes). Start again with Connect account.",
  used: "That sign-in answer was already used. Start again with Connect account.",
};

export default async function IntegrationPage({ params, searchParams }: { params: Promise<{ uuid: string }>; searchParams: Promise<TSearch> }) {
  const operator = await requireOperator();
  const { uuid } = await params;
  const search = await searchParams;
  const found = await getIntegrationByUuid({ orgId: operator.orgId }, uuid);
  if (!found.ok) notFound();
  const connection = found.value;
  const registered = getProvider(connection.provider);
  if (!registered) notFound();
  const provider = toProviderForm(registered);
  const canEdit = operator.role === "admin";
  const account = connection.account.email ?? connection.account.name;
  const label = `${provider.name} “${connection.name}”`;
  // The callback's redirect carries only an id (or a fixed code): the text comes from the server.
  const noticeId = typeof search.oauth === "string" ? search.oauth : null;
  const refusal = typeof search.oauth_error === "string" ? OAUTH_REFUSALS[search.oauth_error] : undefined;
  const oauthNotice = noticeId
    ? await getAuthorizationOutcome({ orgId: operator.orgId, actor: actorOf(operator) }, { uuid: connection.uuid, noticeId })
    : refusal
      ? { ok: false, message: refusal }
      : null;

  return (
    <div className="space-y-6">
      <LiveRefresh />
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
            {canEdit && connection.status !== "disconnected" && (
              <TestRowButton uuid={connection.uuid} label={`${provider.name} “${connection.name}”`} text="Test saved connection" variant="secondary" />
            )}
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
            redirectUri={provider.authType === "oauth2" ? oauthRedirectUri() : null}
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

      {canEdit && provider.authType === "oauth2" && (
        <Card title="Step 2 — Connect account" description={`Authorize Switchboard to use a ${provider.name} account with these credentials.`}>
          <ConnectAccount
            uuid={connection.uuid}
            providerName={provider.name}
            connected={connection.connectedAt !== null}
            ready={Boolean(connection.setup.client_id) && connection.secretsSet.includes("client_secret")}
            account={account}
            expiresAt={connection.expiresAt}
            tokenRefreshedAt={connection.tokenRefreshedAt}
            connectedAt={connection.connectedAt}
            notice={oauthNotice}
          />
        </Card>
      )}

      {!canEdit && provider.authType === "oauth2" && connection.connectedAt && (
        <Card title="Connected account">
          <TokenStatus expiresAt={connection.expiresAt} tokenRefreshedAt={connection.tokenRefreshedAt} connectedAt={connection.connectedAt} />
        </Card>
      )}

      {canEdit && (
        <DangerZone uuid={connection.uuid} label={label} isOAuth={provider.authType === "oauth2"} usedBy={provider.usedBy} secretsUnreadable={connection.secretsUnreadable} />
      )}
      {!canEdit && <p className="text-sm text-zinc-500 dark:text-zinc-400">You have read-only access. Ask an admin to change this connection.</p>}
    </div>
  );
}
