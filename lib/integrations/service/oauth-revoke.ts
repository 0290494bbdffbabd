import "server-only";
import { logger } from "@/lib/logger";
import { resolveOAuthServer } from "@/lib/integrations/oauth/endpoints";
import { OAuthFailure } from "@/lib/integrations/oauth/errors";
import { revokeToken } from "@/lib/integrations/oauth/protocol";
import type { Provider } from "@/lib/integrations/providers/types";

export type TRevocation = "revoked" | "failed" | "not_supported" | "no_token";

/**
 * Best-effort revocation on Disconnect: the refresh token (which ends the
 * whole grant at most providers), else the access token. The tokens are
 * already gone from the database when this runs; a failure is reported, never fatal.
 */
export async function revokeAtProvider(
  orgId: string,
  provider: Provider,
  setup: Record<string, string>,
  secrets: Record<string, string>,
): Promise<TRevocation> {
  const token = secrets.refresh_token ?? secrets.access_token;
  if (!token || provider.authType !== "oauth2") return "no_token";
  try {
    const server = await resolveOAuthServer(provider, setup, secrets, { orgId });
    const revoked = await revokeToken(server, token, secrets.refresh_token ? "refresh_token" : "access_token");
    return revoked ? "revoked" : "not_supported";
  } catch (err) {
    logger.warn("token revocation failed", { provider: provider.key, reason: OAuthFailure.from(err, "revocation").code });
    return "failed";
  }
}
