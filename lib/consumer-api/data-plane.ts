import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import http from "node:http";
import Fastify from "fastify";
import { MESSAGES } from "@/lib/admin-api/errors";
import { stampPeerAddresses } from "@/lib/auth/client-address";
import { startCacheSync } from "@/lib/cache/caches";
import { env } from "@/lib/env";
import { OutboundError } from "@/lib/integrations/outbound/errors";
import { startReadAccounting, stopReadAccounting } from "@/lib/integrations/service/read-accounting";
import { logger } from "@/lib/logger";
import { stopConsumerBudget } from "./guard";
import { NOT_FOUND, registerConsumerRoutes, sendError } from "./routes";

// The consumer data plane: /api/v1/* served by Fastify inside the same Node
// process and port as Next.js, outside Next's request pipeline (whose own
// per-request cost is the thing this avoids).
//
// How it is wired: this module is compiled by Next with the rest of lib/ and
// built at boot (lib/boot.ts, run by instrumentation's register()). Fastify
// never listens itself: `serverFactory` hands us its request router, and
// boot passes that to server/main.mjs through lib/lifecycle.mjs
// (provideDataPlane), which sends every /api/v1 request to it and everything
// else to Next's handler. `fastify` is in serverExternalPackages, so it is
// loaded from node_modules rather than bundled.

export type TRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;
export type TDataPlane = {
  handle: TRequestHandler;
  /** Settles the rate-limit spending, flushes and audits the read counts, stops the timers (shutdown). */
  close(): Promise<void>;
};

const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

export async function buildDataPlane(): Promise<TDataPlane> {
  let route: TRequestHandler | undefined;
  const bodyLimit = env().SWITCHBOARD_PROXY_MAX_REQUEST_BYTES + 16 * 1024; // the JSON envelope around the proxied body
  const app = Fastify({
    logger: false,
    bodyLimit,
    return503OnClosing: false,
    serverFactory: (handler) => {
      route = handler;
      return http.createServer(); // never listens: server/main.mjs owns the socket
    },
  });

  app.addHook("onRequest", async (_req, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  // JSON bodies are parsed by us (an empty body is no body; zod validates the rest); anything else is kept as bytes and refused by the proxy's schema.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, text, done) => {
    if (typeof text !== "string" || text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error("The body is not valid JSON."), { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, bytes, done) => done(null, bytes));

  app.setNotFoundHandler((_req, reply) => sendError(reply, NOT_FOUND));
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err instanceof OutboundError) {
      // A proxied answer whose body failed before its first byte went out (proxy-answer.ts): the upstream's headers are dropped, a 502 goes out instead.
      for (const name of Object.keys(reply.getHeaders())) if (!(name in SECURITY_HEADERS)) reply.removeHeader(name);
      return sendError(reply, { code: "upstream_failed", message: err.message });
    }
    const status = err.statusCode ?? 500;
    if (status === 413) return sendError(reply, { code: "invalid_request", message: `The body is larger than ${bodyLimit} bytes.` });
    if (status >= 400 && status < 500) return sendError(reply, { code: "invalid_request", message: err.code === undefined ? err.message : "The request could not be read." });
    // Only the error's class is logged: a driver error message may quote a parameter.
    logger.error("consumer api call failed", { error: err.name });
    return sendError(reply, { code: "internal_error", message: MESSAGES.internal });
  });

  registerConsumerRoutes(app);
  await app.ready();

  stampPeerAddresses(); // the refused-key throttle counts per client address (already on in the server: idempotent)
  await startCacheSync();
  startReadAccounting();
  if (!route) throw new Error("Fastify did not hand over its request router");
  return {
    handle: route,
    async close() {
      await stopConsumerBudget().catch(() => undefined);
      await stopReadAccounting();
      await app.close();
    },
  };
}
