import "server-only";
import * as oauth from "oauth4webapi";
import { outboundFetch } from "@/lib/integrations/outbound/fetch";
import { normalizeTokenResponse } from "./quirks";

// Every back-channel call of the OAuth protocol (discovery, token, userinfo,
// revocation) leaves through the outbound seam: oauth4webapi receives it as
// its [customFetch]. Token answers pass the provider's quirk normalizer first.

/** Token, userinfo and revocation calls; shorter than the refresh lock's transaction (refresh-token.ts). */
export const TOKEN_CALL_TIMEOUT_MS = 10_000;
const MAX_BYTES = 256 * 1024;

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])$/i;

/** Plain http is accepted only for loopback stand-ins (tests, a local identity server); everything else must be https. */
export function isLoopbackHttp(url: string | URL): boolean {
  const u = new URL(url);
  return u.protocol === "http:" && LOOPBACK.test(u.hostname);
}

type TFetchOptions = { providerKey: string; kind: "token" | "other" };

type TCustomFetch = (url: string, init: oauth.CustomFetchOptions<string, unknown>) => Promise<Response>;

function fetcherFor(opts: TFetchOptions): TCustomFetch {
  return async (url, init) => {
    const { body, headers, method, signal } = init;
    const response = await outboundFetch(url, {
      method,
      headers,
      // The caller's deadline (a refresh's lease) on top of the call's own timeout.
      signal: signal ?? undefined,
      body: body as BodyInit | null | undefined,
      timeoutMs: TOKEN_CALL_TIMEOUT_MS,
      maxBytes: MAX_BYTES,
      maxRedirects: 0,
    });
    return opts.kind === "token" ? normalizeTokenResponse(opts.providerKey, response) : response;
  };
}

/** oauth4webapi options for one call to `url`: our fetch, and http allowed for loopback only. */
export function protocolOptions(
  providerKey: string,
  url: string,
  kind: TFetchOptions["kind"] = "other",
  headers?: Record<string, string>,
  signal?: AbortSignal,
) {
  return {
    [oauth.customFetch]: fetcherFor({ providerKey, kind }),
    [oauth.allowInsecureRequests]: isLoopbackHttp(url),
    ...(headers ? { headers } : {}),
    ...(signal ? { signal } : {}),
  };
}
