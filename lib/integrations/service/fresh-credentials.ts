import "server-only";
import { db } from "@/lib/db";
import { CONNECTION_SELECT, readSecrets } from "./connection-row";
import type { TServiceContext } from "./context";
import type { TCredentials } from "./get-connection";
import { expiresSoon, refreshAccessToken } from "./refresh-token";
import { ok, type TResult } from "./result";

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
  return ok({ ...creds, credentials: { ...creds.credentials, ...(row ? readSecrets(row) : { access_token: fresh.value.accessToken }) } });
}
