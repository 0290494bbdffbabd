import "server-only";

import type { Provider } from "./types";

// SWITCHBOARD_PROVIDER_BASE_URLS points a provider at a proxy or a local
// stand-in: the origin of each of its absolute URLs is replaced.

const TEMPLATE_URL_RE = /^(https?:\/\/)([^/?#]*)(.*)$/s;
/** host[:port], where the host may contain `{placeholders}`; no userinfo. */
const AUTHORITY_RE = /^(?:[A-Za-z0-9.-]|\{[a-z0-9_]+\})+(?::\d{1,5})?$/;

function rewriteOrigin(url: string, origin: string, prefix: string): string {
  const m = TEMPLATE_URL_RE.exec(url);
  if (!m || !AUTHORITY_RE.test(m[2] ?? "")) return url; // e.g. "{+base_url}…": nothing to rewrite
  return `${origin}${prefix}${m[3] ?? ""}`;
}

/**
 * The provider with the origin (scheme, host, port) of every absolute URL in
 * its oauth config, validate descriptor and apiBaseUrl replaced by
 * `baseUrl`'s; paths and queries are kept. A path in `baseUrl` (a proxy
 * mount point) is prepended to each path. URLs that start with a `{+field}`
 * (whole URLs typed by the operator) are left alone.
 */
export function withBaseUrl(provider: Provider, baseUrl: string): Provider {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new Error(`Invalid base URL override for provider "${provider.key}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`Base URL override for provider "${provider.key}" must be http(s)`);
  }
  const prefix = parsed.pathname.replace(/\/+$/, "");
  const rw = (url: string) => rewriteOrigin(url, parsed.origin, prefix);
  const out: Provider = { ...provider };
  if (provider.oauth) {
    const o = provider.oauth;
    out.oauth = {
      ...o,
      authorizeUrl: rw(o.authorizeUrl),
      tokenUrl: rw(o.tokenUrl),
      ...(o.userinfoUrl !== undefined ? { userinfoUrl: rw(o.userinfoUrl) } : {}),
      ...(o.revokeUrl !== undefined ? { revokeUrl: rw(o.revokeUrl) } : {}),
    };
  }
  if (provider.validate.kind === "http") out.validate = { ...provider.validate, url: rw(provider.validate.url) };
  if (provider.apiBaseUrl !== undefined) out.apiBaseUrl = rw(provider.apiBaseUrl);
  return out;
}
