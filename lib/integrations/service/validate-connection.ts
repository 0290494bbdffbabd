import "server-only";
import { db } from "@/lib/db";
import type { TConnection } from "@/lib/integrations/connection-value";
import { runProbe, type TProbeResult } from "@/lib/integrations/probes";
import { getProvider } from "@/lib/integrations/providers/registry";
import { CONNECTION_SELECT, openRowSecrets, parseValueForUpdate, rejectMalformedUuid } from "./connection-row";
import type { TServiceContext } from "./context";
import { recordValidation } from "./record-validation";
import { expiresSoon, refreshAccessToken } from "./refresh-token";
import { CORRUPTED_STATE_MESSAGE, fail, NOT_CONFIGURED_MESSAGE, SECRETS_UNREADABLE_MESSAGE, type TResult } from "./result";
import { hasRuntimeCredentials } from "./runtime-status";
import { takeTestQuota } from "./test-quota";

export type TValidatedConnection = { result: TProbeResult; connection: TConnection; statusChanged: boolean };

/**
 * Tests a saved connection with its stored credentials and records the
 * outcome (recordValidation). An OAuth access token that has expired or
 * expires within the skew is refreshed first (single-flight, like
 * authenticatedRequest), so Test reports on the connection, not on a token
 * that a refresh would have replaced anyway; a failed refresh is the answer
 * (refreshAccessToken has already recorded it on the connection).
 */
export async function validateConnection(ctx: TServiceContext, input: { uuid: string }): Promise<TResult<TValidatedConnection>> {
  const malformed = rejectMalformedUuid<TValidatedConnection>(input.uuid);
  if (malformed) return malformed;
  const refused = await takeTestQuota(ctx);
  if (refused) return refused;
  const prisma = await db();
  const row = await prisma.setting.findFirst({ where: { uuid: input.uuid.toLowerCase(), orgId: ctx.orgId }, select: CONNECTION_SELECT });
  if (!row) return fail("not_configured", NOT_CONFIGURED_MESSAGE);
  const value = parseValueForUpdate(row);
  if (!value) return fail("corrupted_state", CORRUPTED_STATE_MESSAGE);
  const provider = getProvider(value.provider);
  if (!provider) return fail("unknown_provider", "This connection's provider is no longer available.");
  const opened = openRowSecrets(row);
  if (!opened.ok) return fail("corrupted_state", SECRETS_UNREADABLE_MESSAGE);
  const secrets = { ...opened.secrets };
  if (!hasRuntimeCredentials(provider, value.setup, secrets)) {
    const what = provider.authType === "oauth2" ? `Connect to ${provider.name} first` : "Fill in and save the credentials first";
    return fail("invalid_setup", `${what}: there is nothing to test yet.`);
  }
  if (provider.authType === "oauth2" && secrets.access_token && secrets.refresh_token && expiresSoon(value.expires_at)) {
    const fresh = await refreshAccessToken(ctx, { uuid: row.uuid, staleAccessToken: secrets.access_token });
    if (!fresh.ok) return fresh;
    secrets.access_token = fresh.value.accessToken;
  }
  const result = await runProbe(provider, { ...value.setup, ...secrets });
  const recorded = await recordValidation(ctx, { uuid: row.uuid, result });
  if (!recorded.ok) return recorded;
  return { ok: true, value: { result, ...recorded.value } };
}
