import "server-only";
import { finished, Readable } from "node:stream";
import type { ReadableStream as TNodeWebStream } from "node:stream/web";
import type { FastifyReply } from "fastify";
import type { TUpstreamStream } from "@/lib/integrations/service";
import { logger } from "@/lib/logger";

// How the proxy passes the upstream's answer on: status and safe headers, then
// the body as it arrives (chunked: no upstream Content-Length is forwarded).
// A body that fails after its first bytes went out (size cap, deadline) cuts
// the consumer's connection, so the answer ends as an aborted chunked
// response, never as a shorter one that looks complete. A failure before the
// first byte becomes a 502 upstream_failed (data-plane.ts's error handler).
// A consumer that hangs up cancels the upstream body (Fastify destroys the
// stream, which cancels the upstream read and frees its connection).

/** Upstream headers a consumer may see (never Set-Cookie or hop-by-hop ones; the body is already decoded, so no Content-Encoding). */
const SAFE_UPSTREAM_HEADER =
  /^(content-type|content-language|content-disposition|etag|last-modified|retry-after|location|link|x-request-id|request-id|x-ratelimit-[a-z0-9-]+|ratelimit(-[a-z0-9-]+)?|x-total-count)$/;

let proxyCallsInFlight = 0;

/**
 * Takes one of the process's SWITCHBOARD_PROXY_MAX_CONCURRENT slots for this call; null when none is free. The
 * slot is held until the answer has been sent or the consumer has gone, not until the handler returns: the body
 * streams on after it, with its upstream connection open. The signal aborts when the consumer goes first, to stop
 * the upstream call with it rather than let it run on, uncounted, until its deadline.
 */
export function startProxyCall(reply: FastifyReply, max: number): AbortSignal | null {
  if (proxyCallsInFlight >= max) return null;
  proxyCallsInFlight += 1;
  const consumerGone = new AbortController();
  finished(reply.raw, (err) => {
    proxyCallsInFlight -= 1;
    if (err) consumerGone.abort();
  });
  return consumerGone.signal;
}

export function sendUpstreamAnswer(reply: FastifyReply, upstream: TUpstreamStream, uuid: string): FastifyReply {
  for (const [name, value] of Object.entries(upstream.headers)) if (SAFE_UPSTREAM_HEADER.test(name)) reply.header(name, value);
  reply.code(upstream.status);
  if (!upstream.body) return reply.send();
  const body = Readable.fromWeb(upstream.body as TNodeWebStream<Uint8Array>);
  body.once("error", (err: Error & { code?: unknown }) => {
    // Not when the consumer hung up first (its connection is already gone).
    if (reply.raw.headersSent && !reply.raw.destroyed) {
      logger.warn("proxied answer cut off: the upstream body failed after its first bytes were sent", { connection: uuid, errorCode: err.code });
    }
  });
  return reply.send(body);
}
