import "server-only";
import { db } from "@/lib/db";
import { CONNECTION_SELECT, openRowSecrets } from "./connection-row";
import type { TServiceContext } from "./context";
import type { TCredentials } from "./get-connection";
import { expiresSoon, refreshAccessToken } from "./refresh-token";
import { fail, ok, SECRETS_UNREADABLE_MESSAGE, type TResult } from "./result";

/**
 * getCredentials for an OAuth connection whose access token expires within
 * the skew: refreshed first (single-flight, like authenticatedRequest), then
 * the row's secrets read again so the caller gets the new pair.
 */
export async function withFreshToken(ctx: TServiceContext, creds: TCredentials, expiresAt: string | null): Promise<TResult<TCredentials>> {
  const { access_token: accessToken, refresh_token: refreshToken } = creds.credentials;
  if (creds.authType !== "oauth2" || !accessToken || !refreshToken || !expiresSoon(expiresAt)) return ok(creds);
  const fresh = await refreshAccessToken(ctx, { uuid: creds.uuid, staleAccessToken: accessToken });
  if (!fresh.ok) return fresh;
  const prisma = await db();
  const row = await prisma.setting.findFirst({ where: { uuid: creds.uuid, orgId: ctx.orgId }, select: CONNECTION_SELECT });
  const opened = row ? openRowSecrets(row) : null;
  if (opened && !opened.ok) return fail("corrupted_state", SECRETS_UNREADABLE_MESSAGE);
  return ok({ ...creds, credentials: { ...creds.credentials, ...(opened ? opened.secrets : { access_token: fresh.value.accessToken }) } });
}
