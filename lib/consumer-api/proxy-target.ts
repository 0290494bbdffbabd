import "server-only";
import { getProvider } from "@/lib/integrations/providers/registry";
import { fillTemplate } from "@/lib/integrations/providers/url-template";
import type { TProxyBody } from "./schemas";

// Where a proxied call goes. `path` is either an absolute URL or a path
// appended to the provider's API base URL (filled with the connection's setup
// fields, never secrets). Appended as text, never resolved as a relative URL: `//host/x`
// stays a path on the provider's host. The host rule itself is enforced by
// authenticatedRequest, whatever this returns.

export type TProxyTarget = { ok: true; url: string } | { ok: false; message: string };

export function proxyTarget(connection: { provider: string; setup: Record<string, string> }, request: Pick<TProxyBody, "path" | "query">): TProxyTarget {
  let url: URL;
  if (/^https?:\/\//i.test(request.path)) {
    try {
      url = new URL(request.path);
    } catch {
      return { ok: false, message: "`path` is not a valid URL." };
    }
  } else if (request.path.startsWith("/")) {
    const base = getProvider(connection.provider)?.apiBaseUrl;
    if (!base) return { ok: false, message: "This provider has no API base URL: send `path` as an absolute URL on one of the connection's hosts." };
    try {
      url = new URL(fillTemplate(base, connection.setup).replace(/\/+$/, "") + request.path);
    } catch {
      return { ok: false, message: "The provider's API base URL and `path` do not make a valid URL." };
    }
  } else {
    return { ok: false, message: "`path` must start with / (a path on the provider's API) or be an absolute http(s) URL." };
  }
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, v);
  }
  return { ok: true, url: url.toString() };
}
