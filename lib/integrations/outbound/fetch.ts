import "server-only";
import { Agent, fetch as undiciFetch } from "undici";
import { OutboundError, refused, type TOutboundErrorCode } from "./errors";
import { cappedBody, readAll } from "./capped-body";
import { describeNetworkError, errorCode } from "./network-errors";
import { resolveOutboundTarget, type TCheckedTarget } from "./resolve-target";
import { outboundCas } from "./tls-trust";

// Every outbound HTTP call (Test Connection probes, OAuth token / userinfo /
// revoke calls, authenticated requests) goes through outboundFetch:
// - http and https only, no credentials in the URL;
// - the host is resolved once and every address checked (resolve-target.ts),
//   then the connection is pinned to the checked addresses (an undici Agent
//   whose `lookup` answers with them), while Host and TLS stay on the name;
// - redirects are followed by hand, each hop checked the same way (at most
//   `maxRedirects`); caller headers are dropped when a hop changes origin,
//   so credentials never follow a redirect elsewhere; a method and body kept
//   by the redirect (307/308) are followed within the origin only (else the
//   3xx is returned); https never downgrades to http;
// - connect and total timeouts, and a cap on the response body (capped-body.ts);
//   the body is read before the answer is returned, or with `stream` handed
//   over as it arrives, still capped and under the deadline.

export { OutboundError, type TOutboundErrorCode };

export type TOutboundInit = RequestInit & {
  /** Total time for the call, redirects and body included. */
  timeoutMs?: number;
  /** Time to open each TCP (and TLS) connection. */
  connectTimeoutMs?: number;
  /** The response body is cut off (OutboundError "too_large") past this many bytes. */
  maxBytes?: number;
  /** Redirects followed, each re-checked; 0 returns the 3xx answer as is. */
  maxRedirects?: number;
  /**
   * Return the body as it arrives instead of reading it first: the caller reads it to its end or cancels it (the
   * connection stays open until then, within the deadline). Past `maxBytes` or the deadline the body stream errors.
   */
  stream?: boolean;
};

export const OUTBOUND_DEFAULTS = { timeoutMs: 10_000, connectTimeoutMs: 5_000, maxBytes: 1_048_576, maxRedirects: 3 } as const;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 204, 205, 304]);

type TLookup = (hostname: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => void;

/** An agent that connects only to the checked addresses (no pooling across calls: each call resolves anew). */
function pinnedAgent(target: TCheckedTarget, connectTimeoutMs: number): Agent {
  const lookup: TLookup = (_hostname, options, cb) => {
    if (options?.all) cb(null, target.addresses);
    else cb(null, target.addresses[0]!.address, target.addresses[0]!.family);
  };
  return new Agent({ connect: { lookup, timeout: connectTimeoutMs, ca: outboundCas() } as never, keepAliveTimeout: 1, connections: 1 });
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/** fetch() for calls to hosts an operator typed or a provider names. Throws OutboundError. */
export async function outboundFetch(url: string | URL, init: TOutboundInit = {}): Promise<Response> {
  const {
    timeoutMs = OUTBOUND_DEFAULTS.timeoutMs,
    connectTimeoutMs = OUTBOUND_DEFAULTS.connectTimeoutMs,
    maxBytes = OUTBOUND_DEFAULTS.maxBytes,
    maxRedirects = OUTBOUND_DEFAULTS.maxRedirects,
    stream = false,
    signal: callerSignal,
    ...rest
  } = init;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([deadline, callerSignal]) : deadline;
  let target = new URL(url);
  let method = (rest.method ?? "GET").toUpperCase();
  let body = rest.body ?? undefined;
  let headers: [string, string][] = [...new Headers(rest.headers)];

  for (let hop = 0; ; hop++) {
    if (target.protocol !== "http:" && target.protocol !== "https:") throw refused();
    if (target.username || target.password) throw refused();
    const port = portOf(target);
    const where = { host: target.hostname.replace(/^\[|\]$/g, ""), port, timeoutMs };
    const checked = await raceAbort(resolveOutboundTarget(target.hostname, port), signal, where);
    const connectMs = Math.min(connectTimeoutMs, timeoutMs);
    const agent = pinnedAgent(checked, connectMs);
    const releaseAgent = () => void agent.destroy().catch(() => undefined);
    let bodyHandedOver = false;
    try {
      let response: Awaited<ReturnType<typeof undiciFetch>>;
      try {
        response = await undiciFetch(target, { method, headers, body: body as never, redirect: "manual", signal, dispatcher: agent });
      } catch (err) {
        if (signal.aborted) throw describeNetworkError(deadlineError(signal), where);
        // The connect limit (TCP and TLS handshake) fired before the overall deadline: the message names the limit that did.
        throw describeNetworkError(err, errorCode(err) === "UND_ERR_CONNECT_TIMEOUT" ? { ...where, timeoutMs: connectMs } : where);
      }
      const location = response.headers.get("location");
      if (REDIRECTS.has(response.status) && location && maxRedirects > 0) {
        await response.body?.cancel().catch(() => undefined);
        if (hop >= maxRedirects) throw new OutboundError("too_many_redirects", `More than ${maxRedirects} redirects from ${where.host}.`);
        const next = new URL(location, target);
        if (target.protocol === "https:" && next.protocol === "http:") {
          throw new OutboundError("insecure_redirect", `${where.host} redirected from https to plain http; the redirect was not followed.`);
        }
        let nextMethod = method;
        let nextBody = body;
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
          nextMethod = "GET";
          nextBody = undefined;
        }
        const crossOrigin = next.origin !== target.origin;
        // A method and body that survive the redirect (307/308, or 301/302 for PUT…) are for their own origin only.
        if (crossOrigin && (nextBody !== undefined || (nextMethod !== "GET" && nextMethod !== "HEAD"))) {
          return new Response(null, { status: response.status, statusText: response.statusText, headers: [...response.headers] });
        }
        if (crossOrigin) headers = [];
        method = nextMethod;
        body = nextBody;
        target = next;
        continue;
      }
      const head = { status: response.status, statusText: response.statusText, headers: [...response.headers] };
      if (NULL_BODY.has(response.status) || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        return new Response(null, head);
      }
      bodyHandedOver = true; // from here the body's end frees the agent
      const answer = await cappedBody(response.body as ReadableStream<Uint8Array>, response.headers.get("content-length"), { maxBytes, signal, where }, releaseAgent);
      return new Response(stream ? answer : await readAll(answer), head);
    } finally {
      if (!bodyHandedOver) releaseAgent();
    }
  }
}

function deadlineError(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error("aborted"), { name: "TimeoutError" });
}

/** DNS has no signal of its own: stop waiting for it when the deadline passes. */
async function raceAbort<T>(work: Promise<T>, signal: AbortSignal, where: { host: string; port: number; timeoutMs: number }): Promise<T> {
  if (signal.aborted) throw describeNetworkError(deadlineError(signal), where);
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(describeNetworkError(deadlineError(signal), where));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
