import "server-only";
import { createHash } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import { db } from "@/lib/db";
import { keyRing } from "@/lib/integrations/crypto/key-ring";
import { encryptSecret } from "@/lib/integrations/crypto/cipher";
import { resolveOAuthServer } from "@/lib/integrations/oauth/endpoints";
import { OAuthFailure } from "@/lib/integrations/oauth/errors";
import { buildAuthorizationRequest } from "@/lib/integrations/oauth/protocol";
import { CONNECTION_SELECT, rejectMalformedUuid } from "./connection-row";
import type { TServiceContext } from "./context";
import { openConnection, requireOAuth } from "./oauth-connection";
import { fail, NOT_CONFIGURED_MESSAGE, ok, type TResult } from "./result";

// Step 2 "Connect account": a fresh authorization request. Its `state` (32
// random bytes) is stored only as a SHA-256 hash, bound to the operator, the
// org and the connection, valid for 10 minutes and usable once; the PKCE
// verifier is sealed like a secret. The plain state leaves only inside the
// provider URL.

export const STATE_TTL_MS = 10 * 60_000;
/** Unused, unexpired authorization requests one operator may hold open. */
const MAX_OPEN_STATES = 20;

export function hashState(state: string): string {
  return createHash("sha256").update(state, "utf8").digest("hex");
}

export async function authorizationUrl(ctx: TServiceContext, input: { uuid: string; redirectUri: string }): Promise<TResult<{ url: string }>> {
  const malformed = rejectMalformedUuid<{ url: string }>(input.uuid);
  if (malformed) return malformed;
  if (ctx.actor.type !== "user") return fail("unsupported", "Only a signed-in operator can connect an account.");
  const userId = ctx.actor.id;
  const prisma = await db();
  const now = new Date();
  // Count first: building the request is the slow part.
  const open = await prisma.oAuthState.count({ where: { orgId: ctx.orgId, userId, usedAt: null, expiresAt: { gt: now } } });
  if (open >= MAX_OPEN_STATES) return fail("rate_limited", "Too many unfinished connection attempts. Wait 10 minutes, or finish one of them.");

  const row = await prisma.setting.findFirst({ where: { uuid: input.uuid.toLowerCase(), orgId: ctx.orgId }, select: CONNECTION_SELECT });
  if (!row) return fail("not_configured", NOT_CONFIGURED_MESSAGE);
  const opened = openConnection(row);
  if (!opened.ok) return opened;
  const oauthConn = requireOAuth(opened.value);
  if (!oauthConn.ok) return oauthConn;
  const { provider, value, secrets } = oauthConn.value;

  let request;
  try {
    const server = await resolveOAuthServer(provider, value.setup, secrets, { orgId: ctx.orgId });
    request = await buildAuthorizationRequest(server, input.redirectUri);
  } catch (err) {
    const failure = OAuthFailure.from(err, "authorization");
    return fail(failure.code === "setup_incomplete" ? "not_connected" : "oauth_failed", failure.message);
  }
  const id = uuidv7();
  const sealed = request.codeVerifier ? encryptSecret(keyRing(), { uuid: id, orgId: ctx.orgId }, request.codeVerifier) : null;
  await prisma.$transaction([
    // Expired requests are useless: clear them while we are here.
    prisma.oAuthState.deleteMany({ where: { orgId: ctx.orgId, expiresAt: { lt: new Date(now.getTime() - STATE_TTL_MS) } } }),
    prisma.oAuthState.create({
      data: {
        id,
        orgId: ctx.orgId,
        userId,
        connectionUuid: row.uuid,
        stateHash: hashState(request.state),
        codeVerifier: sealed?.blob ?? null,
        keyVersion: sealed?.keyVersion ?? null,
        redirectUri: input.redirectUri,
        expiresAt: new Date(now.getTime() + STATE_TTL_MS),
      },
    }),
  ]);
  return ok({ url: request.url });
}
