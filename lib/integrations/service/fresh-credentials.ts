import "server-only";
import type { TServiceContext } from "./context";
import type { TCredentials } from "./get-connection";
import { expiresSoon, refreshAccessToken } from "./refresh-token";
import { ok, type TResult } from "./result";

/**
 * getCredentials for an OAuth connection whose access token expires within
 * the skew: refreshed first (single-flight within the process, row lock
 * across processes, like authenticatedRequest), and the new access token and
 * expiry handed out instead.
 */
export async function withFreshToken(ctx: TServiceContext, creds: TCredentials, refreshable: boolean): Promise<TResult<TCredentials>> {
  const accessToken = creds.credentials.access_token;
  if (creds.authType !== "oauth2" || !accessToken || !refreshable || !expiresSoon(creds.expiresAt)) return ok(creds);
  const fresh = await refreshAccessToken(ctx, { uuid: creds.uuid, staleAccessToken: accessToken });
  if (!fresh.ok) return fresh;
  return ok({ ...creds, credentials: { ...creds.credentials, access_token: fresh.value.accessToken }, expiresAt: fresh.value.expiresAt });
}
