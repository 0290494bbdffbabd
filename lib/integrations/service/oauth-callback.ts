import "server-only";
import { forgetConnection } from "@/lib/cache/caches";
import { db } from "@/lib/db";
import { logger } from "@/lib/logger";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { decryptSecret } from "@/lib/integrations/crypto/cipher";
import { keyRing } from "@/lib/integrations/crypto/key-ring";
import { resolveOAuthServer } from "@/lib/integrations/oauth/endpoints";
import { cleanProviderText, OAuthFailure } from "@/lib/integrations/oauth/errors";
import { exchangeAuthorizationCode, fetchIdentity } from "@/lib/integrations/oauth/protocol";
import { lockConnection, sealForRow, UUID_PATTERN } from "./connection-row";
import type { TServiceContext } from "./context";
import { hashState } from "./oauth-authorize";
import { accountLabel, openConnection, requireOAuth, secretsWithTokens, valueWithAccount, valueWithTokens } from "./oauth-connection";
import { fail, NOT_CONFIGURED_MESSAGE, ok, type TResult } from "./result";

// The provider's redirect back to us. The state is claimed in one UPDATE
// that matches its hash, this operator, this org, "unused" and "unexpired"
// together, so it is consumed exactly once and only by whom it was issued
// to; anything else is refused before a token endpoint is called, and nothing
// is stored unless the whole exchange succeeds.

export type TCallbackOutcome = {
  /** The connection the state was issued for, when it was issued to this operator (the form to return to). */
  uuid: string | null;
  /** The claimed state row, which keeps the outcome for the form (its id is all the redirect carries). */
  noticeId: string | null;
  result: TResult<{ account: string }>;
};

type TClaimed = { id: string; connection_uuid: string; code_verifier: Uint8Array | null; key_version: number | null; redirect_uri: string };

const STATE_RE = /^[A-Za-z0-9_-]{43,128}$/;

async function claimState(ctx: TServiceContext & { actor: { type: "user"; id: string } }, state: string): Promise<TClaimed | null> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<TClaimed[]>`
    UPDATE oauth_states SET used_at = now()
    WHERE state_hash = ${hashState(state)} AND used_at IS NULL AND expires_at > now()
      AND user_id = ${ctx.actor.id}::uuid AND org_id = ${ctx.orgId}::uuid
    RETURNING id::text AS id, connection_uuid::text AS connection_uuid, code_verifier, key_version, redirect_uri`;
  return rows[0] ?? null;
}

/** Why a state could not be claimed; the connection only when the state was this operator's. */
async function explainRefusal(ctx: TServiceContext & { actor: { type: "user"; id: string } }, state: string): Promise<TCallbackOutcome> {
  const prisma = await db();
  const row = await prisma.oAuthState.findUnique({ where: { stateHash: hashState(state) } });
  const mine = row && row.userId === ctx.actor.id && row.orgId === ctx.orgId;
  if (!mine) return refused(null, "This sign-in answer was not started by you in this organization. Start again with Connect account.");
  if (row.usedAt) return refused(row.connectionUuid, "This sign-in answer was already used. Start again with Connect account.");
  return refused(row.connectionUuid, "The connection attempt expired (10 minutes). Start again with Connect account.");
}

function refused(uuid: string | null, message: string): TCallbackOutcome {
  return { uuid, noticeId: null, result: fail("oauth_state_invalid", message) };
}

/** Keeps what happened on the claimed state row, for the form to show once the browser is back. */
async function finish(claimedId: string, uuid: string | null, result: TResult<{ account: string }>): Promise<TCallbackOutcome> {
  const prisma = await db();
  const message = result.ok ? `Connected as ${result.value.account}` : result.error.message;
  await prisma.oAuthState.update({ where: { id: claimedId }, data: { outcomeOk: result.ok, outcomeMessage: message } });
  return { uuid, noticeId: uuid ? claimedId : null, result };
}

/** The outcome a callback left for this operator and connection, or null. */
export async function getAuthorizationOutcome(
  ctx: TServiceContext,
  input: { uuid: string; noticeId: string },
): Promise<{ ok: boolean; message: string } | null> {
  if (ctx.actor.type !== "user" || !UUID_PATTERN.test(input.noticeId) || !UUID_PATTERN.test(input.uuid)) return null;
  const prisma = await db();
  const row = await prisma.oAuthState.findFirst({
    where: { id: input.noticeId.toLowerCase(), orgId: ctx.orgId, userId: ctx.actor.id, connectionUuid: input.uuid.toLowerCase() },
    select: { outcomeOk: true, outcomeMessage: true },
  });
  return row?.outcomeOk == null || !row.outcomeMessage ? null : { ok: row.outcomeOk, message: row.outcomeMessage };
}

export async function completeAuthorization(ctx: TServiceContext, input: { params: URLSearchParams }): Promise<TCallbackOutcome> {
  if (ctx.actor.type !== "user") return refused(null, "Sign in to connect an account.");
  const userCtx = ctx as TServiceContext & { actor: { type: "user"; id: string } };
  const state = input.params.get("state") ?? "";
  if (!STATE_RE.test(state)) return refused(null, "The sign-in answer carried no valid state. Start again with Connect account.");
  const claimed = await claimState(userCtx, state);
  if (!claimed) return explainRefusal(userCtx, state);
  const uuid = claimed.connection_uuid;

  const providerError = cleanProviderText(input.params.get("error"), 64);
  if (providerError) {
    const description = cleanProviderText(input.params.get("error_description"));
    return finish(claimed.id, uuid, fail("oauth_failed", `The provider did not grant access: ${providerError}${description ? ` — ${description}` : ""}.`));
  }

  const prisma = await db();
  const row = await prisma.setting.findFirst({ where: { uuid, orgId: ctx.orgId } });
  if (!row) return finish(claimed.id, null, fail("not_configured", NOT_CONFIGURED_MESSAGE));
  const opened = openConnection(row);
  const oauthConn = opened.ok ? requireOAuth(opened.value) : opened;
  if (!oauthConn.ok) return finish(claimed.id, uuid, oauthConn);
  const { provider, value, secrets } = oauthConn.value;

  let tokens, account;
  try {
    const server = await resolveOAuthServer(provider, value.setup, secrets, { orgId: ctx.orgId });
    const codeVerifier =
      claimed.code_verifier && claimed.key_version !== null
        ? decryptSecret(keyRing(), { uuid: claimed.id, orgId: ctx.orgId }, { blob: new Uint8Array(claimed.code_verifier), keyVersion: claimed.key_version })
        : null;
    tokens = await exchangeAuthorizationCode(server, { params: input.params, expectedState: state, redirectUri: claimed.redirect_uri, codeVerifier });
    // The tokens are good; an account that cannot be read (a scope override without email/openid) does not undo that.
    account = await fetchIdentity(server, tokens).catch((err: unknown) => {
      logger.warn("connected account not readable", { provider: provider.key, reason: OAuthFailure.from(err, "userinfo").code });
      return { id: null, email: null, name: null };
    });
  } catch (err) {
    return finish(claimed.id, uuid, fail("oauth_failed", OAuthFailure.from(err, "token").message));
  }

  const label = accountLabel(account);
  const stored = await prisma.$transaction(async (tx) => {
    const locked = await lockConnection(tx, ctx.orgId, uuid);
    if (!locked) return fail<{ account: string }>("not_configured", NOT_CONFIGURED_MESSAGE);
    const current = openConnection(locked);
    if (!current.ok) return current;
    const wasError = current.value.value.status === "error";
    const now = new Date().toISOString();
    const next = { ...valueWithAccount(valueWithTokens(current.value.value, tokens), account), connected_at: now, token_refreshed_at: null };
    const nextSecrets = secretsWithTokens(current.value.secrets, tokens);
    await tx.setting.update({
      where: { uuid: locked.uuid, orgId: ctx.orgId },
      data: { value: { ...next, secrets_set: current.value.value.secrets_set }, ...sealForRow(locked, nextSecrets) },
    });
    const target = { type: "connection", id: locked.uuid };
    const metadata = { provider: provider.key, name: current.value.value.name };
    await recordAudit(tx, { orgId: ctx.orgId, actor: ctx.actor, action: "connected", target, metadata: { ...metadata, account: label } });
    if (wasError) await recordAudit(tx, { orgId: ctx.orgId, actor: ctx.actor, action: "auto_recovered", target, metadata: { ...metadata, via: "reconnect" } });
    return ok({ account: label });
  });
  forgetConnection(uuid);
  return finish(claimed.id, uuid, stored);
}
