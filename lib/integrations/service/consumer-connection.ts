import "server-only";
import { db } from "@/lib/db";
import { connectionCache } from "@/lib/cache/caches";
import type { TConnection } from "@/lib/integrations/connection-value";
import { getProvider } from "@/lib/integrations/providers/registry";
import { logger } from "@/lib/logger";
import { CONNECTION_SELECT, openRowSecrets, toConnection, UUID_PATTERN } from "./connection-row";
import type { TReadContext } from "./context";
import { fail, NOT_CONFIGURED_MESSAGE, ok, SECRETS_UNREADABLE_MESSAGE, type TResult } from "./result";

// A connection as consumers see it — its metadata and the credentials they
// may hold — read through the process's connection cache (lib/cache): one
// primary-key read and one decrypt on a miss, none on a hit. Every write to
// the row invalidates the cached copy (service writes before they return,
// other instances through the database's change events).

/**
 * OAuth connections hand out the access token only. The refresh token would
 * let a consumer race the service's single-flight refresh (and, with
 * rotation, kill the grant); the client secret and the ID token are the
 * service's business too.
 */
const WITHHELD_FROM_OAUTH_CONSUMERS = new Set(["refresh_token", "id_token", "client_secret"]);

export type TConsumerConnection = {
  orgId: string;
  uuid: string;
  provider: string;
  /** The provider's display name, e.g. "OpenAI". */
  displayName: string | null;
  name: string;
  authType: TConnection["authType"];
  status: TConnection["status"];
  validationStatus: string | null;
  lastValidatedAt: string | null;
  connectedAt: string | null;
  expiresAt: string | null;
  /** The non-secret setup fields (URL templates are filled from these, never from secrets). */
  setup: Record<string, string>;
  /** Setup fields and secrets merged, minus what is withheld above. Server-side only. */
  credentials: Record<string, string>;
  /** Whether a refresh token is stored (the value itself is never here). */
  refreshable: boolean;
};

export type TConnectionLookup = { uuid: string } | { key: string };

/** The connection by uuid (cached) or by settings key (read, then cached by its uuid). */
export async function loadConsumerConnection(ctx: TReadContext, lookup: TConnectionLookup): Promise<TResult<TConsumerConnection>> {
  const cache = connectionCache();
  if ("uuid" in lookup) {
    if (!UUID_PATTERN.test(lookup.uuid)) return fail("not_configured", NOT_CONFIGURED_MESSAGE);
    const cached = cache.get(lookup.uuid.toLowerCase());
    // The uuid is global, the organization is the caller's: another org's row is "no such connection".
    if (cached) return cached.orgId === ctx.orgId ? ok(cached) : fail("not_configured", NOT_CONFIGURED_MESSAGE);
  }
  const ticket = cache.ticket();
  const where = "uuid" in lookup ? { uuid: lookup.uuid.toLowerCase(), orgId: ctx.orgId } : { key: lookup.key, orgId: ctx.orgId };
  const prisma = await db();
  const row = await prisma.setting.findFirst({ where, select: CONNECTION_SELECT });
  if (!row) return fail("not_configured", NOT_CONFIGURED_MESSAGE);
  const opened = openRowSecrets(row);
  if (!opened.ok) {
    // The consumer's loud failure, with the reason in the log (never a secret). Not cached: a fix must show at once.
    logger.warn("connection secrets unreadable", { uuid: row.uuid, reason: opened.reason });
    return fail("corrupted_state", SECRETS_UNREADABLE_MESSAGE);
  }
  const c = toConnection(row, opened);
  const credentials: Record<string, string> = { ...c.setup, ...opened.secrets };
  if (c.authType === "oauth2") for (const field of WITHHELD_FROM_OAUTH_CONSUMERS) delete credentials[field];
  const view: TConsumerConnection = {
    orgId: row.orgId,
    uuid: c.uuid,
    provider: c.provider,
    displayName: getProvider(c.provider)?.name ?? null,
    name: c.name,
    authType: c.authType,
    status: c.status,
    validationStatus: c.validationStatus,
    lastValidatedAt: c.lastValidatedAt,
    connectedAt: c.connectedAt,
    expiresAt: c.expiresAt,
    setup: c.setup,
    credentials,
    refreshable: Boolean(opened.secrets.refresh_token),
  };
  cache.put(view.uuid, view, ticket);
  return ok(view);
}
