import { Card } from "@/components/ui/card";
import { RotateKeysButton } from "@/components/settings/rotate-keys-button";
import { requireOperator } from "@/lib/auth/session";
import { generatedKeyLocation } from "@/lib/integrations/crypto/key-ring";
import { keyStatus } from "@/lib/integrations/service";

export const dynamic = "force-dynamic";
export const metadata = { title: "Encryption keys" };

export default async function SecurityPage() {
  const operator = await requireOperator();
  const status = await keyStatus({ orgId: operator.orgId });
  const generated = status.source === "generated";
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Encryption keys</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Connection secrets are encrypted with AES-256-GCM. The newest key encrypts; older keys still decrypt until every secret is re-encrypted.
        </p>
      </div>
      <Card title="Key ring">
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <div><dt className="text-zinc-500 dark:text-zinc-400">Source</dt><dd data-testid="key-source">{generated ? `Generated (${generatedKeyLocation()})` : "SWITCHBOARD_ENCRYPTION_KEYS"}</dd></div>
          <div><dt className="text-zinc-500 dark:text-zinc-400">Current version</dt><dd data-testid="key-version">{status.currentVersion}</dd></div>
          <div><dt className="text-zinc-500 dark:text-zinc-400">Versions</dt><dd>{status.versions.join(", ")}</dd></div>
          <div><dt className="text-zinc-500 dark:text-zinc-400">Secrets on older keys</dt><dd data-testid="stale-secrets">{status.staleSecrets}</dd></div>
        </dl>
      </Card>
      {operator.role === "admin" && (
        <Card
          title="Rotate"
          description={
            generated
              ? "Generates a new key version and re-encrypts every secret with it while the app keeps serving."
              : "Add the new key to SWITCHBOARD_ENCRYPTION_KEYS on every instance and restart them; then re-encrypt here or with `npm run keys:rotate`."
          }
        >
          <RotateKeysButton label={generated ? "Generate new key and re-encrypt" : "Re-encrypt with the newest key"} />
        </Card>
      )}
    </div>
  );
}
