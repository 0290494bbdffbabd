import "server-only";
import { apiFail, apiOk } from "@/lib/admin-api/errors";
import {
  ZConnectionStatusInput,
  ZConnectionStatusOutput,
  ZListConnectionsInput,
  ZListConnectionsOutput,
  ZListProvidersInput,
  ZListProvidersOutput,
} from "@/lib/admin-api/schemas";
import { parseConnectionRef } from "@/lib/integrations/connection-ref";
import type { TConnection } from "@/lib/integrations/connection-value";
import { findUuidByProviderName, getIntegrationByUuid, listIntegrations, listProviders } from "@/lib/integrations/service";
import { defineTool, type TToolContext } from "./define-tool";

// Read-only tools for any key: connection and provider metadata, never a
// secret or a setup value. Consumer keys see only the connections they are
// allowed; anything else answers exactly like a connection that does not exist.

const NOT_FOUND = "No connection matches that id or provider:name.";

function visible(ctx: TToolContext, uuid: string): boolean {
  return ctx.principal.scope !== "consumer" || ctx.principal.allowedConnections.includes(uuid);
}

function summary(c: TConnection) {
  return {
    uuid: c.uuid,
    provider: c.provider,
    name: c.name,
    status: c.status,
    validationStatus: c.validationStatus,
    lastValidatedAt: c.lastValidatedAt,
    updatedAt: c.updatedAt,
  };
}

export const listProvidersTool = defineTool({
  name: "list_providers",
  title: "List providers",
  description: "List the provider catalog: key, name, auth type, capabilities, whether it is enabled, and the names of its setup fields.",
  access: "read",
  input: ZListProvidersInput,
  output: ZListProvidersOutput,
  sensitive: [],
  async run(_ctx, input) {
    const providers = listProviders().filter((p) => !input.capability || p.capabilities.includes(input.capability));
    return apiOk({
      providers: providers.map((p) => ({
        key: p.key,
        name: p.name,
        description: p.description,
        authType: p.authType,
        capabilities: [...p.capabilities],
        enabled: p.enabled,
        setupFields: p.setupFields.map((f) => ({ key: f.key, label: f.label, required: f.required, secret: f.secret })),
      })),
    });
  },
});

export const listConnectionsTool = defineTool({
  name: "list_connections",
  title: "List connections",
  description: "List this organization's connections with their status and last test result. No credentials or setup values.",
  access: "read",
  input: ZListConnectionsInput,
  output: ZListConnectionsOutput,
  sensitive: [],
  async run(ctx, input) {
    const all = await listIntegrations(ctx.service);
    const connections = all.filter((c) => (!input.provider || c.provider === input.provider) && visible(ctx, c.uuid));
    return apiOk({ connections: connections.map(summary) });
  },
});

export const connectionStatusTool = defineTool({
  name: "get_connection_status",
  title: "Connection status",
  description: "One connection's status, last test time and message, and connected account, by uuid or provider:name. No credentials.",
  access: "read",
  input: ZConnectionStatusInput,
  output: ZConnectionStatusOutput,
  sensitive: [],
  async run(ctx, input) {
    const ref = parseConnectionRef(input.connection, { allowUuid: true });
    if (!ref) return apiFail("invalid_request", "connection: use a connection uuid, provider:name or a provider key.");
    const uuid = ref.kind === "uuid" ? { ok: true as const, value: ref.uuid } : await findUuidByProviderName(ctx.service, [ref.provider, ref.name]);
    const found = uuid.ok && visible(ctx, uuid.value) ? await getIntegrationByUuid(ctx.service, uuid.value) : null;
    if (!found?.ok) return apiFail("not_found", NOT_FOUND);
    const c = found.value;
    return apiOk({
      ...summary(c),
      authType: c.authType,
      connectedAt: c.connectedAt,
      expiresAt: c.expiresAt,
      account: { name: c.account.name, email: c.account.email },
    });
  },
});
