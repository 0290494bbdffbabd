import "server-only";
import { forgetConnection } from "@/lib/cache/caches";
import { db, type DbTx } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { resolveOAuthServer } from "@/lib/integrations/oauth/endpoints";
import { OAuthFailure } from "@/lib/integrations/oauth/errors";
import { TOKEN_CALL_TIMEOUT_MS } from "@/lib/integrations/oauth/http";
import { refreshTokens } from "@/lib/integrations/oauth/protocol";
import { CONNECTION_SELECT, lockConnection, openRowSecrets, rejectMalformedUuid, sealForRow } from "./connection-row";
import type { TServiceContext } from "./context";
import { openConnection, requireOAuth, secretsWithTokens, valueWithTokens, type TOpenedConnection } from "./oauth-connection";
import { fail, NOT_CONFIGURED_MESSAGE, ok, type TResult } from "./result";

// Refresh that never races. Within a process, concurrent callers share one
// promise; across processes and instances the settings row is locked
// (SELECT … FOR UPDATE) for the whole refresh, and whoever gets the lock
// re-reads the row: if the access token is no longer the one the caller saw,
// another worker refreshed it and that token is used. The rotated refresh
// token is written in the same transaction as the access token, so no
// committed state ever pairs a new access token with a spent refresh token.
//
// Timeouts: waiting for the lock ≤ LOCK_WAIT_MS; each provider call ≤
// TOKEN_CALL_TIMEOUT_MS (discovery + token call together well inside the
// transaction's REFRESH_TX_TIMEOUT_MS), so a holder never outlives its lock.

const LOCK_WAIT_MS = 15_000;
const RECONNECT = "Reconnect required:";
const REFRESH_TX_TIMEOUT_MS = 3 * TOKEN_CALL_TIMEOUT_MS + 5_000;

export type TFreshToken = { accessToken: string; expiresAt: string | null; refreshed: boolean };

export type TRefreshInput = {
  uuid: string;
  /** The access token the caller holds: when the stored one differs, someone already refreshed and no call is made. */
  staleAccessToken?: string;
};

const inFlight = new Map<string, Promise<TResult<TFreshToken>>>();

/** Seconds before expiry at which a token is renewed ahead of use. */
export function refreshSkewMs(): number {
  return env().SWITCHBOARD_TOKEN_REFRESH_SKEW_SECONDS * 1000;
}

export function expiresSoon(expiresAt: string | null | undefined, now = Date.now()): boolean {
  return Boolean(expiresAt) && new Date(expiresAt!).getTime() - now <= refreshSkewMs();
}

export async function refreshAccessToken(ctx: TServiceContext, input: TRefreshInput): Promise<TResult<TFreshToken>> {
  const malformed = rejectMalformedUuid<TFreshToken>(input.uuid);
  if (malformed) return malformed;
  const key = `${ctx.orgId}:${input.uuid.toLowerCase()}:${input.staleAccessToken === undefined ? "explicit" : "stale"}`;
  const running = inFlight.get(key);
  if (running) return running;
  const flight = refreshLocked(ctx, input).finally(() => {
    inFlight.delete(key);
    // A refresh writes new tokens (or the error status): the cached copy goes before any waiting caller resumes.
    forgetConnection(input.uuid);
  });
  inFlight.set(key, flight);
  return flight;
}

async function refreshLocked(ctx: TServiceContext, input: TRefreshInput): Promise<TResult<TFreshToken>> {
  const prisma = await db();
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${LOCK_WAIT_MS}ms'`);
      const row = await lockConnection(tx, ctx.orgId, input.uuid);
      if (!row) return fail<TFreshToken>("not_configured", NOT_CONFIGURED_MESSAGE);
      const opened = openConnection(row);
      const conn = opened.ok ? requireOAuth(opened.value) : opened;
      if (!conn.ok) return conn;
      const { value, secrets } = conn.value;
      const current = secrets.access_token;
      if (!current) return fail<TFreshToken>("not_connected", "This connection has no account connected. Use Connect account on its page.");
      if (input.staleAccessToken !== undefined && current !== input.staleAccessToken) {
        return ok({ accessToken: current, expiresAt: value.expires_at ?? null, refreshed: false });
      }
      // A dead grant stays dead until someone reconnects: automatic callers do not hammer the token endpoint.
      if (input.staleAccessToken !== undefined && value.status === "error" && value.validation_status?.startsWith(RECONNECT)) {
        return fail<TFreshToken>("reconnect_required", value.validation_status);
      }
      if (!secrets.refresh_token) {
        return markFailed(tx, ctx, conn.value, "reconnect_required", `${RECONNECT} the provider gave no refresh token and the access token is no longer accepted.`);
      }
      return callAndStore(tx, ctx, conn.value);
    },
    { maxWait: LOCK_WAIT_MS, timeout: REFRESH_TX_TIMEOUT_MS },
  );
}

async function callAndStore(tx: DbTx, ctx: TServiceContext, conn: TOpenedConnection): Promise<TResult<TFreshToken>> {
  const { row, provider, value, secrets } = conn;
  let tokens;
  try {
    const server = await resolveOAuthServer(provider, value.setup, secrets);
    tokens = await refreshTokens(server, secrets.refresh_token!);
  } catch (err) {
    const failure = OAuthFailure.from(err, "refresh");
    if (failure.code === "invalid_grant") {
      // Re-read first: a writer outside this lock (an older instance) may have rotated it meanwhile.
      const again = await tx.setting.findFirst({ where: { uuid: row.uuid, orgId: ctx.orgId }, select: CONNECTION_SELECT });
      const reread = again ? openRowSecrets(again) : null;
      const now = reread?.ok ? reread.secrets : {};
      if (now.access_token && now.refresh_token !== secrets.refresh_token) {
        return ok({ accessToken: now.access_token, expiresAt: null, refreshed: false });
      }
      return markFailed(tx, ctx, conn, "reconnect_required", `${RECONNECT} ${failure.message}`);
    }
    return markFailed(tx, ctx, conn, "refresh_failed", `Token refresh failed: ${failure.message}`);
  }
  const nextSecrets = secretsWithTokens(secrets, tokens);
  const next = { ...valueWithTokens(value, tokens), token_refreshed_at: new Date().toISOString() };
  await tx.setting.update({ where: { uuid: row.uuid, orgId: ctx.orgId }, data: { value: next, ...sealForRow(row, nextSecrets) } });
  const target = { type: "connection", id: row.uuid };
  const metadata = { provider: provider.key, name: value.name, rotated: Boolean(tokens.refreshToken && tokens.refreshToken !== secrets.refresh_token) };
  await recordAudit(tx, { orgId: ctx.orgId, actor: ctx.actor, action: "token_refreshed", target, metadata });
  if (value.status === "error") {
    await recordAudit(tx, { orgId: ctx.orgId, actor: ctx.actor, action: "auto_recovered", target, metadata: { provider: provider.key, name: value.name, via: "refresh" } });
  }
  return ok({ accessToken: tokens.accessToken, expiresAt: next.expires_at ?? null, refreshed: true });
}

async function markFailed(
  tx: DbTx,
  ctx: TServiceContext,
  conn: TOpenedConnection,
  code: "reconnect_required" | "refresh_failed",
  message: string,
): Promise<TResult<TFreshToken>> {
  const { row, provider, value } = conn;
  await tx.setting.update({ where: { uuid: row.uuid, orgId: ctx.orgId }, data: { value: { ...value, status: "error", validation_status: message } } });
  await recordAudit(tx, {
    orgId: ctx.orgId,
    actor: ctx.actor,
    action: "token_refresh_failed",
    target: { type: "connection", id: row.uuid },
    metadata: { provider: provider.key, name: value.name, reason: code },
  });
  logger.warn("token refresh failed", { connection: row.uuid, provider: provider.key, reason: code });
  return fail(code, message);
}
