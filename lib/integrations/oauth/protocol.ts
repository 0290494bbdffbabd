import "server-only";
import * as oauth from "oauth4webapi";
import type { TOAuthServer } from "./endpoints";
import { OAuthFailure } from "./errors";
import { protocolOptions } from "./http";
import { identityFromProfile, profileError, tokenRequestHeaders, type TAccountIdentity } from "./quirks";

// The protocol steps, each a thin use of oauth4webapi: it builds the
// requests, checks state, PKCE and ID-token claims and parses answers; this
// file only chooses the options. Failures come out as OAuthFailure.

export type TTokenSet = {
  accessToken: string;
  /** Absent when the provider did not send one (the caller keeps the stored one). */
  refreshToken: string | null;
  /** null: the token does not expire (GitHub OAuth apps). */
  expiresAt: Date | null;
  scopes: string[] | null;
  idTokenClaims: Record<string, unknown> | null;
};

export type TAuthorizationRequest = { url: string; state: string; codeVerifier: string | null };

/** The provider's consent URL: state of 32 random bytes, PKCE S256 where the provider takes it, its extra parameters. */
export async function buildAuthorizationRequest(server: TOAuthServer, redirectUri: string): Promise<TAuthorizationRequest> {
  const url = new URL(server.as.authorization_endpoint!);
  const state = oauth.generateRandomState(); // 32 random bytes, base64url
  const codeVerifier = server.pkce ? oauth.generateRandomCodeVerifier() : null;
  for (const [k, v] of Object.entries(server.extraAuthParams)) url.searchParams.set(k, v);
  url.searchParams.set("client_id", server.client.client_id);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("response_type", "code");
  if (server.scopes.length > 0) url.searchParams.set("scope", server.scopes.join(server.scopeSeparator));
  url.searchParams.set("state", state);
  if (codeVerifier) {
    url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(codeVerifier));
    url.searchParams.set("code_challenge_method", "S256");
  }
  return { url: url.href, state, codeVerifier };
}

function toTokenSet(result: oauth.TokenEndpointResponse): TTokenSet {
  const expiresIn = typeof result.expires_in === "number" && result.expires_in > 0 ? result.expires_in : null;
  const claims = oauth.getValidatedIdTokenClaims(result);
  return {
    accessToken: result.access_token,
    refreshToken: typeof result.refresh_token === "string" && result.refresh_token !== "" ? result.refresh_token : null,
    expiresAt: expiresIn === null ? null : new Date(Date.now() + expiresIn * 1000),
    scopes: typeof result.scope === "string" ? result.scope.split(/[\s,]+/).filter(Boolean) : null,
    idTokenClaims: claims ? { ...claims } : null,
  };
}

/**
 * Checks the callback parameters against the expected state (and `iss` where
 * the issuer is known), then redeems the code with the redirect URI and PKCE
 * verifier the authorization request used.
 */
export async function exchangeAuthorizationCode(
  server: TOAuthServer,
  opts: { params: URLSearchParams; expectedState: string; redirectUri: string; codeVerifier: string | null },
): Promise<TTokenSet> {
  const params = new URLSearchParams(opts.params);
  // Without a known issuer there is nothing to compare an `iss` with (typed generic URLs).
  if (!server.issuerKnown) params.delete("iss");
  let checked: URLSearchParams;
  try {
    checked = oauth.validateAuthResponse(server.as, server.client, params, opts.expectedState);
  } catch (err) {
    throw OAuthFailure.from(err, "authorization");
  }
  try {
    const options = protocolOptions(server.providerKey, server.as.token_endpoint!, "token", tokenRequestHeaders(server.providerKey));
    const response = await oauth.authorizationCodeGrantRequest(
      server.as,
      server.client,
      server.clientAuth,
      checked,
      opts.redirectUri,
      opts.codeVerifier ?? oauth.nopkce,
      options,
    );
    return toTokenSet(await oauth.processAuthorizationCodeResponse(server.as, server.client, response));
  } catch (err) {
    throw OAuthFailure.from(err, "token");
  }
}

/** `signal` ends the call early: a refresh's token call must be over before its lease is. */
export async function refreshTokens(server: TOAuthServer, refreshToken: string, signal?: AbortSignal): Promise<TTokenSet> {
  try {
    const options = protocolOptions(server.providerKey, server.as.token_endpoint!, "token", tokenRequestHeaders(server.providerKey), signal);
    const response = await oauth.refreshTokenGrantRequest(server.as, server.client, server.clientAuth, refreshToken, options);
    return toTokenSet(await oauth.processRefreshTokenResponse(server.as, server.client, response));
  } catch (err) {
    throw OAuthFailure.from(err, "refresh");
  }
}

/** Revokes one token at the provider's revocation endpoint; false when the provider has none. */
export async function revokeToken(server: TOAuthServer, token: string, hint: "refresh_token" | "access_token"): Promise<boolean> {
  const endpoint = server.as.revocation_endpoint;
  if (!endpoint) return false;
  try {
    const options = { ...protocolOptions(server.providerKey, endpoint), additionalParameters: { token_type_hint: hint } };
    const response = await oauth.revocationRequest(server.as, server.client, server.clientAuth, token, options);
    await oauth.processRevocationResponse(response);
    return true;
  } catch (err) {
    throw OAuthFailure.from(err, "revocation");
  }
}

/** Who the token belongs to: the ID token's claims when its issuer is known, else the userinfo endpoint (or GitHub's /user, Slack's auth.test). */
export async function fetchIdentity(server: TOAuthServer, tokens: TTokenSet): Promise<TAccountIdentity> {
  const fromIdToken = server.issuerKnown && tokens.idTokenClaims ? identityFromProfile(server.providerKey, tokens.idTokenClaims) : null;
  if (fromIdToken?.email || !server.as.userinfo_endpoint) return fromIdToken ?? { id: null, email: null, name: null };
  try {
    const url = new URL(server.as.userinfo_endpoint);
    const headers = new Headers({ accept: "application/json" });
    const response = await oauth.protectedResourceRequest(tokens.accessToken, "GET", url, headers, null, protocolOptions(server.providerKey, url.href));
    if (!response.ok) throw new OAuthFailure("provider_error", `The provider refused reading the connected account (HTTP ${response.status}).`);
    const profile = (await response.json()) as Record<string, unknown>;
    const refused = profileError(server.providerKey, profile);
    if (refused) throw new OAuthFailure("provider_error", `The provider refused reading the connected account: ${refused}.`, refused);
    const fromUserinfo = identityFromProfile(server.providerKey, profile);
    return { id: fromIdToken?.id ?? fromUserinfo.id, email: fromUserinfo.email ?? fromIdToken?.email ?? null, name: fromUserinfo.name ?? fromIdToken?.name ?? null };
  } catch (err) {
    throw OAuthFailure.from(err, "userinfo");
  }
}
