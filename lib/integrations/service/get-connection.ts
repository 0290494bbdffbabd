import "server-only";
import { db } from "@/lib/db";
import type { TConnection } from "@/lib/integrations/connection-value";
import { CONNECTION_SELECT, toConnection, UUID_PATTERN } from "./connection-row";
import { parseConnectionRef } from "@/lib/integrations/connection-ref";
import { settingsKey } from "@/lib/integrations/settings-key";
import type { TReadContext, TServiceContext } from "./context";
import { loadConsumerConnection } from "./consumer-connection";
import { INVALID_REF_MESSAGE } from "./resolve";
import { withFreshToken } from "./fresh-credentials";
import { recordCredentialRead } from "./read-accounting";
import { fail, INVALID_UUID_MESSAGE, NOT_CONFIGURED_MESSAGE, NOT_CONNECTED_MESSAGE, ok, type TResult } from "./result";

/** The connection (never its secrets) by its stable uuid. */
export async function getIntegrationByUuid(ctx: TReadContext, uuid: string): Promise<TResult<TConnection>> {
  if (!UUID_PATTERN.test(uuid)) return fail("invalid_uuid", INVALID_UUID_MESSAGE);
  const prisma = await db();
  const row = await prisma.setting.findFirst({ where: { uuid: uuid.toLowerCase(), orgId: ctx.orgId }, select: CONNECTION_SELECT });
  return row ? ok(toConnection(row)) : fail("not_configured", NOT_CONFIGURED_MESSAGE);
}

export type TCredentials = {
  uuid: string;
  provider: string;
  name: string;
  authType: TConnection["authType"];
  status: TConnection["status"];
  /**
   * Setup fields and secrets merged: what a caller needs to talk to the
   * provider. OAuth connections give the access token only (never the refresh
   * token, the ID token or the client secret). Server-side only.
   */
  credentials: Record<string, string>;
  /** When the OAuth access token expires (null: unknown, or not OAuth). */
  expiresAt: string | null;
};

/**
 * Decrypted credentials for a uuid or provider:name. For consumers on the
 * server; never send to a browser. A connection that does not exist (never
 * added, or removed since) is `not_configured`, one with no account connected
 * (status `disconnected`, or an OAuth connection without an access token)
 * `not_connected`: the consumer's loud failures.
 * Served from the process's connection cache when warm (lib/cache); an OAuth
 * token about to expire is refreshed first. Every successful read is counted
 * for the audit log (read-accounting.ts: one `credentials_read` row per
 * reader × connection × minute, carrying the count).
 */
export async function getCredentials(ctx: TServiceContext, ref: string): Promise<TResult<TCredentials>> {
  const parsed = typeof ref === "string" ? parseConnectionRef(ref, { allowUuid: true }) : null;
  if (!parsed) return fail("invalid", INVALID_REF_MESSAGE);
  const lookup = parsed.kind === "uuid" ? { uuid: parsed.uuid } : { key: settingsKey(parsed.provider, parsed.name) };
  const loaded = await loadConsumerConnection(ctx, lookup);
  if (!loaded.ok) return loaded;
  const c = loaded.value;
  // No account connected (never, or disconnected since): a loud failure, never credentials without their secret.
  if (c.status === "disconnected" || (c.authType === "oauth2" && !c.credentials.access_token)) return fail("not_connected", NOT_CONNECTED_MESSAGE);
  const creds: TCredentials = {
    uuid: c.uuid,
    provider: c.provider,
    name: c.name,
    authType: c.authType,
    status: c.status,
    credentials: c.credentials,
    expiresAt: c.expiresAt,
  };
  const fresh = await withFreshToken(ctx, creds, c.refreshable);
  if (fresh.ok) recordCredentialRead({ orgId: ctx.orgId, uuid: c.uuid, actor: ctx.actor, provider: c.provider, name: c.name });
  return fresh;
}
