import "server-only";
import * as oauth from "oauth4webapi";
import { createLimiter, type TLimiter } from "@/lib/rate-limit/service/limiter";
import { protocolOptions } from "./http";
import { cleanProviderText, OAuthFailure } from "./errors";

// A generic_oauth2 connection's server metadata, read from its issuer URL.
// oauth4webapi builds the metadata URL by each standard's rule, which differ
// for an issuer with a path (https://login.example.com/tenant/v2.0):
//   OpenID Connect Discovery: {issuer}/.well-known/openid-configuration
//     → https://login.example.com/tenant/v2.0/.well-known/openid-configuration
//   RFC 8414: the well-known segment goes between host and path
//     → https://login.example.com/.well-known/oauth-authorization-server/tenant/v2.0
// OpenID first, then RFC 8414. Either way the document's `issuer` must be the
// issuer URL exactly (OIDC Discovery §4.3, RFC 8414 §3.3): a server cannot
// speak for another issuer. Metadata is cached per process for 5 minutes and
// concurrent readers share one request; a cache miss costs the organization
// one of DISCOVERY_PER_ORG_PER_MINUTE (shared by every instance), taken
// before the request, so an organization cannot make this server fetch
// arbitrary issuers in a loop.

export const DISCOVERY_PER_ORG_PER_MINUTE = 30;
const DISCOVERY_TTL_MS = 5 * 60_000;
const MAX_CACHED_ISSUERS = 500;

const discovered = new Map<string, { at: number; as: oauth.AuthorizationServer }>();
const inFlight = new Map<string, Promise<oauth.AuthorizationServer>>();
let limiter: TLimiter | undefined;

function perOrg(): TLimiter {
  return (limiter ??= createLimiter({ keyPrefix: "oauth-discovery:org", points: DISCOVERY_PER_ORG_PER_MINUTE, durationSeconds: 60 }));
}

function isIssuerMismatch(err: unknown): err is oauth.OperationProcessingError {
  return (
    err instanceof oauth.OperationProcessingError &&
    err.code === oauth.JSON_ATTRIBUTE_COMPARISON &&
    (err.cause as { attribute?: unknown } | undefined)?.attribute === "issuer"
  );
}

async function fetchMetadata(providerKey: string, issuerUrl: string, signal?: AbortSignal): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(issuerUrl);
  const errors: unknown[] = [];
  for (const algorithm of ["oidc", "oauth2"] as const) {
    try {
      const response = await oauth.discoveryRequest(issuer, { algorithm, ...protocolOptions(providerKey, issuerUrl, "other", undefined, signal) });
      return await oauth.processDiscoveryResponse(issuer, response);
    } catch (err) {
      errors.push(err);
    }
  }
  // A document that answered for another issuer says more than the other attempt's 404.
  const mismatch = errors.find(isIssuerMismatch);
  if (mismatch) {
    const named = cleanProviderText((mismatch.cause as { body?: { issuer?: unknown } }).body?.issuer, 200) ?? "another issuer";
    throw new OAuthFailure(
      "issuer_mismatch",
      `The provider's metadata is for the issuer ${named}, not ${issuer.href}. Enter the issuer URL exactly as the provider states it.`,
    );
  }
  throw OAuthFailure.from(errors.at(-1), "discovery");
}

export async function discoverIssuer(opts: { providerKey: string; issuerUrl: string; orgId: string; signal?: AbortSignal }): Promise<oauth.AuthorizationServer> {
  const { issuerUrl } = opts;
  const hit = discovered.get(issuerUrl);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.as;
  const running = inFlight.get(issuerUrl);
  if (running) return running;
  // Registered before its first await: concurrent readers of this issuer join it.
  const flight = takeQuota(opts.orgId)
    .then(() => fetchMetadata(opts.providerKey, issuerUrl, opts.signal))
    .then((as) => {
      discovered.delete(issuerUrl);
      if (discovered.size >= MAX_CACHED_ISSUERS) discovered.delete(discovered.keys().next().value!);
      discovered.set(issuerUrl, { at: Date.now(), as });
      return as;
    })
    .finally(() => inFlight.delete(issuerUrl));
  inFlight.set(issuerUrl, flight);
  return flight;
}

async function takeQuota(orgId: string): Promise<void> {
  const quota = await perOrg().consume(orgId);
  if (!quota.allowed) {
    throw new OAuthFailure("rate_limited", `Too many provider metadata reads for your organization. Try again in ${quota.retryAfterSeconds} s.`, null, quota.retryAfterSeconds);
  }
}

/** Forget discovered metadata (tests restart their server between cases). */
export function clearDiscoveryCache(): void {
  discovered.clear();
}
