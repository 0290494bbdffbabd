import "server-only";
import * as oauth from "oauth4webapi";
import type { Provider } from "@/lib/integrations/providers/types";
import { fillTemplate } from "@/lib/integrations/providers/url-template";
import { discoverIssuer } from "./discovery";
import { isLoopbackHttp } from "./http";
import { OAuthFailure } from "./errors";

// The authorization server and client of one connection, as oauth4webapi
// wants them: the provider's URLs with setup fields filled in (Microsoft's
// tenant, generic_oauth2's typed URLs) or, for generic_oauth2 with an issuer
// URL, the server's own metadata from OpenID / RFC 8414 discovery (discovery.ts).

export type TOAuthServer = {
  providerKey: string;
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  scopes: string[];
  scopeSeparator: string;
  extraAuthParams: Record<string, string>;
  pkce: boolean;
  /** The issuer is known for sure (discovery, or a provider with a fixed one): its ID tokens and `iss` are checked and used. */
  issuerKnown: boolean;
};

/**
 * Authorization, token, userinfo and revocation endpoints carry codes,
 * client secrets and tokens: https only. Plain http is accepted for loopback
 * stand-ins (tests, a local identity server), which outbound calls still
 * reach only through SWITCHBOARD_OUTBOUND_ALLOW.
 */
function requireHttpsUrl(what: string, url: string | undefined): void {
  if (url === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OAuthFailure("setup_incomplete", `The ${what} URL is not a valid URL.`);
  }
  if (parsed.protocol === "https:" || isLoopbackHttp(parsed)) return;
  throw new OAuthFailure("insecure_endpoint", `The ${what} URL must use https:// (${parsed.host} was given as ${parsed.protocol.replace(":", "")}).`);
}

function requireHttps(as: oauth.AuthorizationServer): void {
  requireHttpsUrl("authorization", as.authorization_endpoint);
  requireHttpsUrl("token", as.token_endpoint);
  requireHttpsUrl("userinfo", as.userinfo_endpoint);
  requireHttpsUrl("revocation", as.revocation_endpoint);
}

function fill(url: string | undefined, setup: Record<string, string>): string | undefined {
  if (url === undefined) return undefined;
  const filled = fillTemplate(url, setup);
  return filled === "" ? undefined : filled;
}

/** Scopes requested: the connection's override (space-separated) or the provider's defaults. */
export function requestedScopes(provider: Provider, setup: Record<string, string>): string[] {
  const field = provider.oauth?.scopesField;
  const override = field ? setup[field]?.split(/[\s,]+/).filter(Boolean) : undefined;
  return override && override.length > 0 ? override : [...(provider.oauth?.defaultScopes ?? [])];
}

export async function resolveOAuthServer(
  provider: Provider,
  setup: Record<string, string>,
  secrets: Record<string, string>,
  /** `orgId` pays for discovery (rate-limited per organization); `signal` ends it early (a refresh's lease deadline). */
  opts: { orgId: string; signal?: AbortSignal },
): Promise<TOAuthServer> {
  const config = provider.oauth;
  if (!config) throw new OAuthFailure("not_oauth", `${provider.name} does not use OAuth.`);
  const clientId = setup.client_id;
  const clientSecret = secrets.client_secret;
  if (!clientId || !clientSecret) throw new OAuthFailure("setup_incomplete", "Save the client ID and client secret first (Step 1).");

  let as: oauth.AuthorizationServer;
  let issuerKnown: boolean;
  if (setup.issuer_url) {
    requireHttpsUrl("issuer", setup.issuer_url);
    as = await discoverIssuer({ providerKey: provider.key, issuerUrl: setup.issuer_url, orgId: opts.orgId, signal: opts.signal });
    issuerKnown = true;
  } else {
    const authorize = fill(config.authorizeUrl, setup);
    const token = fill(config.tokenUrl, setup);
    if (!authorize || !token) throw new OAuthFailure("setup_incomplete", "Enter the authorization and token URLs, or an issuer URL (Step 1).");
    // Google's issuer is the origin of its authorization URL (and follows a base-URL override): its `iss` answer is checked.
    issuerKnown = provider.key === "google";
    as = {
      issuer: new URL(authorize).origin,
      authorization_endpoint: authorize,
      token_endpoint: token,
      userinfo_endpoint: fill(config.userinfoUrl, setup),
      revocation_endpoint: fill(config.revokeUrl, setup),
    };
  }
  requireHttps(as);
  return {
    providerKey: provider.key,
    as,
    client: { client_id: clientId, token_endpoint_auth_method: "client_secret_post" },
    clientAuth: oauth.ClientSecretPost(clientSecret),
    scopes: requestedScopes(provider, setup),
    scopeSeparator: config.scopeSeparator ?? " ",
    extraAuthParams: { ...(config.extraAuthParams ?? {}) },
    pkce: config.pkce,
    issuerKnown,
  };
}
