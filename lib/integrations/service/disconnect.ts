import "server-only";
import { forgetConnection } from "@/lib/cache/caches";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import type { TConnectionValue } from "@/lib/integrations/connection-value";
import { getProvider } from "@/lib/integrations/providers/registry";
import { lockConnection, openRowSecrets, parseValueForUpdate, rejectMalformedUuid, sealForRow, type TSecretsRead } from "./connection-row";
import type { TServiceContext } from "./context";
import { revokeAtProvider, type TRevocation } from "./oauth-revoke";
import { CORRUPTED_STATE_MESSAGE, fail, ok, type TResult } from "./result";

// OAuth keeps the app's client id/secret (reconnecting needs them) and drops
// the tokens; every other auth type drops its secrets, i.e. the key itself.
const OAUTH_APP_SECRETS = new Set(["client_secret"]);

export type TDisconnectInput = {
  uuid: string;
  /**
   * When the stored secrets cannot be read, an OAuth connection cannot keep
   * its client secret: true drops it with the tokens; otherwise the answer is
   * `corrupted_state` and nothing changes.
   */
  discardUnreadable?: boolean;
};

export const UNREADABLE_DISCONNECT_MESSAGE =
  "This connection's stored secrets cannot be read, so its client secret cannot be kept. Disconnect anyway to drop it too, or enter the secrets again.";

type TDisconnected = { disconnected: boolean; revocation?: TRevocation };
type TDropped = { disconnected: boolean; revoke?: () => Promise<TRevocation> };

/** Drops runtime credentials (OAuth: then revokes them at the provider, best effort). A uuid that is already gone is a no-op. */
export async function disconnect(ctx: TServiceContext, input: TDisconnectInput): Promise<TResult<TDisconnected>> {
  const malformed = rejectMalformedUuid<TDisconnected>(input.uuid);
  if (malformed) return malformed;
  const dropped = await dropCredentials(ctx, input);
  if (!dropped.ok || !dropped.value.revoke) return dropped.ok ? ok({ disconnected: dropped.value.disconnected }) : dropped;
  return ok({ disconnected: true, revocation: await dropped.value.revoke() });
}

async function dropCredentials(ctx: TServiceContext, input: TDisconnectInput): Promise<TResult<TDropped>> {
  const prisma = await db();
  const result = await prisma.$transaction(async (tx) => {
    const row = await lockConnection(tx, ctx.orgId, input.uuid);
    if (!row) return ok({ disconnected: false });
    const value = parseValueForUpdate(row);
    if (!value) return fail<TDropped>("corrupted_state", CORRUPTED_STATE_MESSAGE);
    // The row's own auth type: the provider's module may no longer be registered.
    const isOAuth = value.auth_type === "oauth2";
    // Only OAuth keeps something, so only OAuth has to decrypt.
    const opened: TSecretsRead = isOAuth ? openRowSecrets(row) : { ok: true, secrets: {} };
    if (!opened.ok && !input.discardUnreadable) {
      return fail<TDropped>("corrupted_state", UNREADABLE_DISCONNECT_MESSAGE);
    }
    const secrets = opened.ok ? opened.secrets : {};
    const kept = Object.fromEntries(Object.entries(secrets).filter(([k]) => OAUTH_APP_SECRETS.has(k)));
    const next: TConnectionValue = {
      ...value,
      status: "disconnected",
      validation_status: null,
      connected_at: null,
      expires_at: null,
      token_refreshed_at: null,
      scopes: [],
      external_account_id: null,
      external_account_name: null,
      external_account_email: null,
      secrets_set: Object.keys(kept).sort(),
    };
    await tx.setting.update({ where: { uuid: row.uuid, orgId: ctx.orgId }, data: { value: next, ...sealForRow(row, kept) } });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "disconnected",
      target: { type: "connection", id: row.uuid },
      metadata: { provider: value.provider, name: value.name, ...(opened.ok ? {} : { discardedUnreadable: true }) },
    });
    const provider = getProvider(value.provider);
    // Revoked after the commit: the tokens are gone from here even when the provider does not answer.
    const revoke = isOAuth && provider && opened.ok ? () => revokeAtProvider(ctx.orgId, provider, value.setup, secrets) : undefined;
    return ok({ disconnected: true, revoke });
  });
  // After the commit, before the caller hears back: this process never serves the old value again.
  forgetConnection(input.uuid);
  return result;
}
