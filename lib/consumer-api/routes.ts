import "server-only";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { API_ERROR_STATUS, errorBody, type TApiError, type TApiErrorCode } from "@/lib/admin-api/errors";
import { apiKeyActor } from "@/lib/api-keys/actor";
import type { TApiPrincipal } from "@/lib/api-keys/types";
import { env } from "@/lib/env";
import { UUID_PATTERN } from "@/lib/integrations/connection-ref";
import { authenticatedRequestStream, getCredentials, type TServiceError, type TUpstreamLimits } from "@/lib/integrations/service";
import type { TServiceErrorCode } from "@/lib/integrations/service/result";
import { loadConsumerConnection } from "@/lib/integrations/service/consumer-connection";
import { guardConsumerCall } from "./guard";
import { sendUpstreamAnswer, startProxyCall } from "./proxy-answer";
import { proxyTarget } from "./proxy-target";
import { ZProxyBody, type TProxyBody } from "./schemas";

// The consumer API's three endpoints. Thin: guard (key, scope, rate limit),
// allow-list, one service call, map the result. A connection that is not on
// the key's allow-list, belongs to another organization, does not exist or
// is not even a uuid gets the same 404, byte for byte.

type TParams = { Params: { uuid: string } };
type TReq = FastifyRequest<TParams>;

export const NOT_FOUND: TApiError = { code: "not_found", message: "No such connection." };

export function sendError(reply: FastifyReply, error: TApiError, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(API_ERROR_STATUS[error.code]).headers(headers).send(errorBody(error));
}

/** The principal and the allow-listed uuid, or the refusal already sent. */
async function admit(req: TReq, reply: FastifyReply): Promise<{ principal: TApiPrincipal; uuid: string } | null> {
  const q = req.url.indexOf("?");
  const guard = await guardConsumerCall({
    query: new URLSearchParams(q === -1 ? "" : req.url.slice(q + 1)),
    authorization: req.headers.authorization ?? null,
    xApiKey: typeof req.headers["x-api-key"] === "string" ? req.headers["x-api-key"] : null,
    headers: req.headers,
  });
  if (!guard.ok) {
    sendError(reply, guard.error, guard.headers);
    return null;
  }
  const uuid = req.params.uuid.toLowerCase();
  if (!UUID_PATTERN.test(uuid) || !guard.principal.allowedConnections.includes(uuid)) {
    sendError(reply, NOT_FOUND);
    return null;
  }
  return { principal: guard.principal, uuid };
}

/**
 * Every service error code, mapped explicitly (a new code does not compile
 * until it is mapped here, so none turns into a silent 404). Only "no such
 * connection" is the 404, with the one shared body.
 */
export const SERVICE_ERRORS: Record<TServiceErrorCode, TApiErrorCode> = {
  not_configured: "not_found",
  not_found: "not_found",
  invalid_uuid: "not_found",
  invalid: "invalid_request",
  empty_name: "invalid_request",
  invalid_name: "invalid_request",
  already_exists: "invalid_request",
  limit_reached: "invalid_request",
  invalid_setup: "invalid_request",
  secret_required: "invalid_request",
  oauth_state_invalid: "invalid_request",
  invalid_credentials: "invalid_credentials",
  host_not_allowed: "host_not_allowed",
  upstream_failed: "upstream_failed",
  refresh_failed: "upstream_failed",
  oauth_failed: "upstream_failed",
  not_connected: "connection_unusable",
  reconnect_required: "connection_unusable",
  corrupted_state: "connection_unusable",
  unsupported: "connection_unusable",
  unknown_provider: "connection_unusable",
  provider_disabled: "connection_unusable",
  rate_limited: "rate_limited",
  keys_from_environment: "internal_error",
};

function sendServiceError(reply: FastifyReply, error: TServiceError): FastifyReply {
  const code = SERVICE_ERRORS[error.code];
  if (code === "not_found") return sendError(reply, NOT_FOUND);
  // A rate limit (e.g. the OAuth discovery quota blocking a refresh) says when to come back.
  const headers: Record<string, string> = code === "rate_limited" ? { "retry-after": String(Math.max(1, Math.ceil(error.retryAfterSeconds ?? 60))) } : {};
  return sendError(reply, { code, message: error.message }, headers);
}

function serviceContext(principal: TApiPrincipal) {
  return { orgId: principal.orgId, actor: apiKeyActor(principal) };
}

export function registerConsumerRoutes(app: FastifyInstance): void {
  app.get<TParams>("/api/v1/connections/:uuid", async (req, reply) => {
    const admitted = await admit(req, reply);
    if (!admitted) return reply;
    const loaded = await loadConsumerConnection({ orgId: admitted.principal.orgId }, { uuid: admitted.uuid });
    if (!loaded.ok) return sendServiceError(reply, loaded.error);
    const c = loaded.value;
    return reply.send({
      uuid: c.uuid,
      provider: c.provider,
      name: c.name,
      ...(c.displayName ? { displayName: c.displayName } : {}),
      authType: c.authType,
      status: c.status,
      lastValidatedAt: c.lastValidatedAt,
      validationStatus: c.validationStatus,
      connectedAt: c.connectedAt,
      expiresAt: c.expiresAt,
    });
  });

  app.post<TParams>("/api/v1/connections/:uuid/credentials", async (req, reply) => {
    const admitted = await admit(req, reply);
    if (!admitted) return reply;
    const result = await getCredentials(serviceContext(admitted.principal), admitted.uuid);
    if (!result.ok) return sendServiceError(reply, result.error);
    const c = result.value;
    return reply.send({ uuid: c.uuid, provider: c.provider, authType: c.authType, credentials: c.credentials, expiresAt: c.expiresAt });
  });

  app.post<TParams>("/api/v1/connections/:uuid/proxy", async (req, reply) => {
    const admitted = await admit(req, reply);
    if (!admitted) return reply;
    const parsed = ZProxyBody.safeParse(req.body);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join(".") || "body").join(", ");
      return sendError(reply, { code: "invalid_request", message: `Send a JSON object { method, path, query?, headers?, body? }; check: ${where}.` });
    }
    // Each call holds an upstream connection (and a few chunks of its answer) while it runs: a per-process bound on how many run at once.
    const e = env();
    const consumerGone = startProxyCall(reply, e.SWITCHBOARD_PROXY_MAX_CONCURRENT);
    if (!consumerGone) {
      return sendError(reply, { code: "rate_limited", message: "Too many proxied calls in progress on this server; try again in 1 s." }, { "Retry-After": "1" });
    }
    return proxyCall(reply, admitted, parsed.data, { timeoutMs: e.SWITCHBOARD_PROXY_TIMEOUT_SECONDS * 1000, maxBytes: e.SWITCHBOARD_PROXY_MAX_RESPONSE_BYTES, signal: consumerGone });
  });
}

/** One proxied call: the connection's host rule, authenticatedRequestStream, the upstream's answer passed on as it arrives. */
async function proxyCall(
  reply: FastifyReply,
  admitted: { principal: TApiPrincipal; uuid: string },
  call: TProxyBody,
  limits: TUpstreamLimits,
): Promise<FastifyReply> {
  const ctx = serviceContext(admitted.principal);
  const loaded = await loadConsumerConnection(ctx, { uuid: admitted.uuid });
  if (!loaded.ok) return sendServiceError(reply, loaded.error);
  const target = proxyTarget(loaded.value, call);
  if (!target.ok) return sendError(reply, { code: "invalid_request", message: target.message });
  const headers = { ...call.headers };
  let body: string | undefined;
  if (typeof call.body === "string") body = call.body;
  else if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
  }
  const result = await authenticatedRequestStream(
    ctx,
    admitted.uuid,
    { method: call.method, url: target.url, headers, body },
    limits,
  );
  if (!result.ok) return sendServiceError(reply, result.error);
  return sendUpstreamAnswer(reply, result.value, admitted.uuid);
}
