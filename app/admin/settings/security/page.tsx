import { Card } from "@/components/ui/card";
import { KeyRingActions } from "@/components/settings/key-ring-actions";
import { requireOperator } from "@/lib/auth/session";
import { generatedKeyLocation } from "@/lib/integrations/crypto/key-ring";
import { keyStatus } from "@/lib/integrations/service";

export const dynamic = "force-dynamic";
export const metadata = { title: "Encryption keys" };

export default async function SecurityPage() {
  const operator = await requireOperator();
  // The key ring serves every organization: its owner sees (and rotates) all of them.
  const owner = operator.platformOwner;
  const status = await keyStatus(owner ? "platform" : { orgId: operator.orgId });
  const generated = status.source === "generated";
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Encryption keys</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Connection secrets are encrypted with AES-256-GCM. The newest key encrypts; older keys still decrypt until every secret is re-encrypted.
          One key ring serves every organization on this server.
        </p>
      </div>
      <Card title="Key ring">
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <div><dt className="text-zinc-500 dark:text-zinc-400">Source</dt><dd data-testid="key-source">{generated ? `Generated (${generatedKeyLocation()})` : "SWITCHBOARD_ENCRYPTION_KEYS"}</dd></div>
          <div><dt className="text-zinc-500 dark:text-zinc-400">Current version</dt><dd data-testid="key-version">{status.currentVersion}</dd></div>
          <div><dt className="text-zinc-500 dark:text-zinc-400">Versions</dt><dd data-testid="key-versions">{status.versions.join(", ")}</dd></div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">
              Secrets on older keys {status.scope === "platform" ? "(all organizations)" : "(your organization)"}
            </dt>
            <dd data-testid="stale-secrets">{status.staleSecrets}</dd>
          </div>
        </dl>
      </Card>
      {owner ? (
        <Card
          title="Rotate"
          description={
            generated
              ? "First generate a new key: new secrets use it at once. Then re-encrypt every organization's secrets with it while the app keeps serving. Secrets that cannot be read are skipped and listed."
              : "Add the new key to SWITCHBOARD_ENCRYPTION_KEYS on every instance and restart them; then re-encrypt every organization's secrets here or with `npm run keys:rotate`. Secrets that cannot be read are skipped and listed."
          }
        >
          <KeyRingActions canGenerate={generated} />
        </Card>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="owner-only">
          Only the platform owner — the account created at setup — generates keys and re-encrypts secrets, since the key ring serves every organization.
        </p>
      )}
    </div>
  );
}
