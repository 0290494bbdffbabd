import "server-only";
import { forgetConnection } from "@/lib/cache/caches";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { resolveOAuthServer } from "@/lib/integrations/oauth/endpoints";
import { OAuthFailure } from "@/lib/integrations/oauth/errors";
import { refreshTokens } from "@/lib/integrations/oauth/protocol";
import { CONNECTION_SELECT, lockConnection, rejectMalformedUuid, sealForRow } from "./connection-row";
import type { TServiceContext } from "./context";
import { openConnection, requireOAuth, secretsWithTokens, valueWithTokens, type TOpenedConnection } from "./oauth-connection";
import { acquireLease, LEASE_MS } from "./refresh-lease";
import { fail, NOT_CONFIGURED_MESSAGE, ok, type TResult } from "./result";

// Refresh that never races. Within a process, concurrent callers share one
// promise; across processes and instances they take turns through a lease
// row (refresh-lease.ts), and whoever gets it re-reads the connection: if
// the access token is no longer the one the caller saw, another worker
// refreshed it and that token is used, with no call to the provider.
//
// The lease bounds the token call, not the other way round: discovery and
// the token call run under an AbortSignal that fires before the lease
// expires, so two holders can never spend one refresh token. No transaction
// is open during the call. The answer is written in one transaction (the
// rotated refresh token with the access token) on top of the row as it is
// then, and only if the row still holds the refresh token that was spent:
// an operator who reconnected or changed the destination meanwhile wins.

/** How long a caller waits for another worker's refresh before giving up. */
const LEASE_WAIT_MS = LEASE_MS + 5_000;
const RECONNECT = "Reconnect required:";

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
  const uuid = input.uuid.toLowerCase();
  const key = `${ctx.orgId}:${uuid}:${input.staleAccessToken === undefined ? "explicit" : "stale"}`;
  const running = inFlight.get(key);
  if (running) return running;
  const flight = refreshLeased(ctx, { ...input, uuid }).finally(() => {
    inFlight.delete(key);
    // A refresh writes new tokens (or the error status): the cached copy goes before any waiting caller resumes.
    forgetConnection(uuid);
  });
  inFlight.set(key, flight);
  return flight;
}

/** What the stored row says about a refresh: done already (a result), or needed with these details. */
async function readState(ctx: TServiceContext, input: TRefreshInput): Promise<TResult<TFreshToken> | { needed: TOpenedConnection }> {
  const prisma = await db();
  const row = await prisma.setting.findFirst({ where: { uuid: input.uuid, orgId: ctx.orgId }, select: CONNECTION_SELECT });
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
  return { needed: conn.value };
}

async function refreshLeased(ctx: TServiceContext, input: TRefreshInput): Promise<TResult<TFreshToken>> {
  const before = await readState(ctx, input);
  if (!("needed" in before)) return before;
  // Waiting callers stop as soon as another worker's refresh shows in the row.
  const settled = async () => {
    if (input.staleAccessToken === undefined) return null;
    const state = await readState(ctx, input);
    return "needed" in state ? null : state;
  };
  let got: Awaited<ReturnType<typeof acquireLease<TResult<TFreshToken>>>>;
  try {
    got = await acquireLease(input.uuid, LEASE_WAIT_MS, settled);
  } catch (err) {
    // The lease row references the connection: removed meanwhile, it cannot be taken.
    const now = await readState(ctx, input);
    if (!("needed" in now) && !now.ok && now.error.code === "not_configured") return now;
    throw err;
  }
  if ("settled" in got) return got.settled;
  if ("timedOut" in got) return fail("refresh_failed", "Another refresh of this connection is taking too long; try again shortly.");
  const { lease } = got;
  try {
    // Re-read under the lease: the previous holder may have refreshed just before releasing it.
    const state = await readState(ctx, input);
    if (!("needed" in state)) return state;
    if (!state.needed.secrets.refresh_token) {
      return markFailed(ctx, state.needed, "reconnect_required", `${RECONNECT} the provider gave no refresh token and the access token is no longer accepted.`);
    }
    return await callAndStore(ctx, state.needed, AbortSignal.timeout(Math.max(0, lease.deadline - Date.now())));
  } finally {
    await lease.release();
  }
}

async function callAndStore(ctx: TServiceContext, conn: TOpenedConnection, signal: AbortSignal): Promise<TResult<TFreshToken>> {
  const { provider, value, secrets } = conn;
  let tokens;
  try {
    const server = await resolveOAuthServer(provider, value.setup, secrets, { orgId: ctx.orgId, signal });
    tokens = await refreshTokens(server, secrets.refresh_token!, signal);
  } catch (err) {
    const failure = OAuthFailure.from(err, "refresh");
    // Our own discovery limit, not the provider's answer: the connection is not at fault.
    if (failure.code === "rate_limited") return { ok: false, error: { code: "rate_limited", message: failure.message, retryAfterSeconds: failure.retryAfterSeconds ?? 60 } };
    if (failure.code === "invalid_grant") {
      // Re-read first: a writer outside the lease (an older instance) may have rotated it meanwhile.
      const now = await readState(ctx, { uuid: conn.row.uuid });
      if ("needed" in now && now.needed.secrets.access_token && now.needed.secrets.refresh_token !== secrets.refresh_token) {
        return ok({ accessToken: now.needed.secrets.access_token, expiresAt: now.needed.value.expires_at ?? null, refreshed: false });
      }
      return markFailed(ctx, conn, "reconnect_required", `${RECONNECT} ${failure.message}`);
    }
    return markFailed(ctx, conn, "refresh_failed", `Token refresh failed: ${failure.message}`);
  }
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const row = await lockConnection(tx, ctx.orgId, conn.row.uuid);
    const opened = row ? openConnection(row) : null;
    // Reconnected, disconnected or re-pointed meanwhile: that newer state stands, these tokens are dropped.
    if (!opened?.ok || opened.value.secrets.refresh_token !== secrets.refresh_token) {
      return fail<TFreshToken>("refresh_failed", "The connection changed during the token refresh; use it again.");
    }
    const latest = opened.value;
    const nextSecrets = secretsWithTokens(latest.secrets, tokens);
    const next = { ...valueWithTokens(latest.value, tokens), token_refreshed_at: new Date().toISOString() };
    await tx.setting.update({ where: { uuid: latest.row.uuid, orgId: ctx.orgId }, data: { value: next, ...sealForRow(latest.row, nextSecrets) } });
    const target = { type: "connection", id: latest.row.uuid };
    const metadata = { provider: provider.key, name: latest.value.name, rotated: Boolean(tokens.refreshToken && tokens.refreshToken !== secrets.refresh_token) };
    await recordAudit(tx, { orgId: ctx.orgId, actor: ctx.actor, action: "token_refreshed", target, metadata });
    if (latest.value.status === "error") {
      await recordAudit(tx, { orgId: ctx.orgId, actor: ctx.actor, action: "auto_recovered", target, metadata: { provider: provider.key, name: latest.value.name, via: "refresh" } });
    }
    return ok({ accessToken: tokens.accessToken, expiresAt: next.expires_at ?? null, refreshed: true });
  });
}

async function markFailed(
  ctx: TServiceContext,
  conn: TOpenedConnection,
  code: "reconnect_required" | "refresh_failed",
  message: string,
): Promise<TResult<TFreshToken>> {
  const { provider, secrets } = conn;
  const prisma = await db();
  const marked = await prisma.$transaction(async (tx) => {
    const row = await lockConnection(tx, ctx.orgId, conn.row.uuid);
    const opened = row ? openConnection(row) : null;
    // Reconnected or changed meanwhile: the failure belongs to tokens that are no longer there.
    if (!opened?.ok || opened.value.secrets.refresh_token !== secrets.refresh_token) return false;
    const { value } = opened.value;
    await tx.setting.update({ where: { uuid: opened.value.row.uuid, orgId: ctx.orgId }, data: { value: { ...value, status: "error", validation_status: message } } });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "token_refresh_failed",
      target: { type: "connection", id: opened.value.row.uuid },
      metadata: { provider: provider.key, name: value.name, reason: code },
    });
    return true;
  });
  if (!marked) return fail("refresh_failed", "The connection changed during the token refresh; use it again.");
  logger.warn("token refresh failed", { connection: conn.row.uuid, provider: provider.key, reason: code });
  return fail(code, message);
}
