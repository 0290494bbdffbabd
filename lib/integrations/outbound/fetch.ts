import "server-only";

// Seam for every outbound HTTP call (Test Connection probes, OAuth token /
// userinfo / revoke calls, authenticated requests). The Test Connection work
// (issue 6) completes it with the SSRF policy: DNS resolved once and checked,
// the checked address pinned, redirects re-checked, the allow-list setting.
// Until then it enforces only the time, redirect and size caps below.

export type TOutboundErrorCode = "target_refused" | "timeout" | "too_large" | "too_many_redirects" | "unreachable";

export class OutboundError extends Error {
  constructor(
    readonly code: TOutboundErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OutboundError";
  }
}

export type TOutboundInit = RequestInit & {
  /** Total time for the call, body included. */
  timeoutMs?: number;
  /** The response body is cut off (OutboundError "too_large") past this many bytes. */
  maxBytes?: number;
  /** Redirects followed, each re-checked; 0 returns the 3xx answer as is. */
  maxRedirects?: number;
};

export const OUTBOUND_DEFAULTS = { timeoutMs: 10_000, maxBytes: 1_048_576, maxRedirects: 3 } as const;

/** fetch() for outbound calls to hosts an operator typed or a provider names. Throws OutboundError. */
export async function outboundFetch(url: string | URL, init: TOutboundInit = {}): Promise<Response> {
  const { timeoutMs = OUTBOUND_DEFAULTS.timeoutMs, maxBytes = OUTBOUND_DEFAULTS.maxBytes, maxRedirects = OUTBOUND_DEFAULTS.maxRedirects, ...rest } = init;
  const target = new URL(url);
  if (target.protocol !== "http:" && target.protocol !== "https:") throw new OutboundError("target_refused", "Only http and https targets are allowed.");
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(target, { ...rest, redirect: maxRedirects > 0 ? "follow" : "manual", signal });
  } catch (err) {
    if (signal.aborted) throw new OutboundError("timeout", `No answer from ${target.host} within ${Math.round(timeoutMs / 1000)} s.`);
    throw new OutboundError("unreachable", `Could not reach ${target.host}.`, { cause: err });
  }
  const body = await readCapped(response, maxBytes);
  // 101/204/205/304 answers must not be given a body (the Response constructor throws).
  const nullBody = [101, 204, 205, 304].includes(response.status);
  return new Response(nullBody ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new OutboundError("too_large", `The answer was larger than ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
