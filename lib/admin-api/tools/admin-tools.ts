import "server-only";
import { credentialAttrs } from "@/lib/admin-api/credential-value";
import { apiFail, apiOk, type TApiOutcome } from "@/lib/admin-api/errors";
import { canonicalIntegrationKey, parseIntegrationKey, type TIntegrationKey } from "@/lib/admin-api/integration-key";
import {
  ZListIntegrationsInput,
  ZListIntegrationsOutput,
  ZRemoveCredentialsOutput,
  ZRemoveIntegrationCredentialsInput,
  ZSetCredentialsOutput,
  ZSetIntegrationCredentialsInput,
} from "@/lib/admin-api/schemas";
import { getProvider } from "@/lib/integrations/providers/registry";
import type { Provider } from "@/lib/integrations/providers/types";
import { listIntegrationStates, removeCredentialsByKey, upsertCredentials } from "@/lib/integrations/service";
import { defineTool } from "./define-tool";

/** The catalog entry of `{key}`: 404 when the catalog has no such provider, 400 for a malformed name. */
function catalogEntry(raw: string): { ok: true; key: TIntegrationKey; provider: Provider } | { ok: false; outcome: TApiOutcome } {
  const parsed = parseIntegrationKey(raw);
  const provider = parsed.ok ? getProvider(parsed.key.provider) : undefined;
  if (parsed.ok && provider && provider.key === parsed.key.provider) return { ok: true, key: parsed.key, provider };
  if (!parsed.ok && parsed.problem === "invalid_name") {
    return { ok: false, outcome: apiFail("invalid_request", "integration_key: use `provider` or `provider:name`; a name has letters, digits, - and _ (max 64).") };
  }
  return { ok: false, outcome: apiFail("integration_not_found", "No integration with that key exists in the catalog.") };
}

export const adminListIntegrations = defineTool({
  name: "admin_list_integrations",
  title: "List integrations (admin)",
  description:
    "List the integration catalog joined with this organization's configuration state: which integrations are active, when they were configured and by whom. Never returns credential values. Audited (list_integrations).",
  access: "admin",
  input: ZListIntegrationsInput,
  output: ZListIntegrationsOutput,
  sensitive: [],
  async run(ctx) {
    const states = await listIntegrationStates(ctx.service);
    return apiOk({
      integrations: states.map((s) => ({
        key: canonicalIntegrationKey(s.provider, s.connectionName),
        name: s.name,
        description: s.description,
        isConfigured: s.row !== null,
        hasCredentials: s.row !== null,
        configuredAt: s.row?.createdAt.toISOString() ?? null,
        updatedAt: s.row?.updatedAt.toISOString() ?? null,
        configuredByEmail: s.row?.createdByEmail ?? null,
      })),
    });
  },
});

export const adminSetIntegrationCredentials = defineTool({
  name: "admin_set_integration_credentials",
  title: "Set integration credentials (admin)",
  description:
    "Set or rotate the credential of an integration: activation when none existed, rotation when one did (the audit log's wasUpdate tells them apart). The provider's connection test runs first on the new value (OAuth client credentials are tested at Connect instead); a refusal answers invalid_credentials and stores nothing. The value is never echoed and is redacted from telemetry.",
  access: "admin",
  input: ZSetIntegrationCredentialsInput,
  output: ZSetCredentialsOutput,
  sensitive: ["value"],
  async run(ctx, input) {
    const entry = catalogEntry(input.integration_key);
    if (!entry.ok) return entry.outcome;
    const { key, provider } = entry;
    if (!provider.enabled) return apiFail("integration_disabled", `${provider.name} is disabled on this platform.`);
    const attrs = credentialAttrs(provider, input.value);
    if (!attrs.ok) return apiFail("invalid_request", `value: ${attrs.message}`);
    const result = await upsertCredentials(ctx.service, {
      provider: provider.key,
      name: key.name,
      attrs: attrs.attrs,
      integrationKey: key.canonical,
      createdById: ctx.principal.createdById,
    });
    if (result.ok) return apiOk({ key: key.canonical, isConfigured: true, hasCredentials: true, updatedAt: result.value.updatedAt });
    const { code, message, fields, retryAfterSeconds } = result.error;
    switch (code) {
      case "invalid_credentials":
        return apiFail("invalid_credentials", message);
      case "rate_limited":
        // The probe's connection-test quota (per key and per organization).
        return { ok: false, error: { code: "rate_limited", message, retryAfterSeconds: retryAfterSeconds ?? 60 } };
      case "provider_disabled":
        return apiFail("integration_disabled", message);
      case "unknown_provider":
        return apiFail("integration_not_found", "No integration with that key exists in the catalog.");
      case "invalid_setup":
        // Field names and rules only: the messages never contain the submitted values.
        return apiFail("invalid_request", `value: ${Object.entries(fields ?? {}).map(([k, m]) => `${k}: ${m}`).join("; ")}`);
      default:
        return apiFail("invalid_request", message);
    }
  },
});

export const adminRemoveIntegrationCredentials = defineTool({
  name: "admin_remove_integration_credentials",
  title: "Remove integration credentials (admin)",
  description:
    "Deactivate an integration by removing its credential. Idempotent: answers the same whether or not credentials existed (the audit log's wasNoop records which).",
  access: "admin",
  input: ZRemoveIntegrationCredentialsInput,
  output: ZRemoveCredentialsOutput,
  sensitive: [],
  async run(ctx, input) {
    const entry = catalogEntry(input.integration_key);
    if (!entry.ok) return entry.outcome;
    const { key, provider } = entry;
    await removeCredentialsByKey(ctx.service, { provider: provider.key, name: key.name, integrationKey: key.canonical });
    return apiOk({ key: key.canonical, isConfigured: false });
  },
});
