import "server-only";
import { apiKeyActor } from "@/lib/api-keys/actor";
import { countRefusedKey, refusedKeyWait } from "@/lib/api-keys/refused-key-throttle";
import { presentedKey } from "@/lib/api-keys/request-key";
import { clientAddress } from "@/lib/auth/client-address";
import { authenticateApiKey } from "@/lib/api-keys/service/authenticate-api-key";
import { logger } from "@/lib/logger";
import { recordApiCall, type TApiSurface } from "@/lib/telemetry/service/record-api-call";
import { MESSAGES } from "./errors";
import { errorResponse } from "./http";
import { apiKeyLimiter } from "./rate-limit";
import type { TToolContext } from "./tools";

// Every admin API call, whatever the surface: the address's refused-key
// budget (429) → key (401) → the key's rate limit (429) →
// the call itself → one metering row and one log line, with the parameters
// already redacted by the caller. The organization comes from the key only.

export type THandled = {
  response: Response;
  /** The tool or MCP method that ran (for metering). */
  operation: string;
  errorCode: string | null;
  /** Redacted parameters (redactParams). */
  parameters: Record<string, unknown>;
};

export type TApiCallSpec = {
  surface: TApiSurface;
  /** Method and route template, e.g. "GET /api/admin/integrations" (a key in the path shows as <redacted>). */
  route: string;
  /** The tool a refused call asked for, for the log line. */
  operation: string;
  /** The key of /api/ai/{key}/mcp. */
  pathKey?: string;
  handle(ctx: TToolContext): Promise<THandled>;
};

export async function runApiCall(req: Request, spec: TApiCallSpec): Promise<Response> {
  try {
    return await runGuarded(req, spec);
  } catch (err) {
    // The database unreachable while checking the key or counting the call: still a JSON answer, never a stack trace.
    logger.error("api call failed", { route: spec.route, error: (err as Error).name });
    return errorResponse({ code: "internal_error", message: MESSAGES.internal });
  }
}

async function runGuarded(req: Request, spec: TApiCallSpec): Promise<Response> {
  const started = performance.now();
  const base = { surface: spec.surface, route: spec.route, parameters: {} as Record<string, unknown> };
  const refuse = async (response: Response, errorCode: string, who: { orgId: string | null; apiKeyId: string | null; keyPrefix: string | null }) => {
    await recordApiCall({ ...base, operation: spec.operation, status: response.status, errorCode, durationMs: performance.now() - started, ...who });
    return response;
  };
  const anonymous = { orgId: null, apiKeyId: null, keyPrefix: null };

  const presented = presentedKey(req, spec.pathKey);
  if (presented.kind !== "key") {
    const message = presented.kind === "in_query" ? MESSAGES.keyInQuery : MESSAGES.unauthorized;
    return refuse(errorResponse({ code: "unauthorized", message }, { "WWW-Authenticate": "Bearer" }), "unauthorized", anonymous);
  }
  // Guessing keys from one address stops here, before any hashing or lookup.
  const address = clientAddress(req.headers);
  const wait = await refusedKeyWait(address);
  if (wait !== null) {
    const message = `Too many refused API keys from your address; try again in ${wait} s.`;
    return refuse(errorResponse({ code: "rate_limited", message, retryAfterSeconds: wait }), "rate_limited", anonymous);
  }
  const auth = await authenticateApiKey(presented.key);
  if (!auth.ok) {
    logger.debug("api key refused", { reason: auth.reason });
    await countRefusedKey(address);
    return refuse(errorResponse({ code: "unauthorized", message: MESSAGES.unauthorized }, { "WWW-Authenticate": "Bearer" }), "unauthorized", anonymous);
  }
  const principal = auth.principal;
  const who = { orgId: principal.orgId, apiKeyId: principal.keyId, keyPrefix: principal.prefix };
  const budget = await apiKeyLimiter().consume(principal.keyId);
  if (!budget.allowed) {
    const message = `Too many calls with this key; try again in ${budget.retryAfterSeconds} s.`;
    return refuse(errorResponse({ code: "rate_limited", message }, { "Retry-After": String(budget.retryAfterSeconds) }), "rate_limited", who);
  }

  let handled: THandled;
  try {
    handled = await spec.handle({ principal, service: { orgId: principal.orgId, actor: apiKeyActor(principal) } });
  } catch (err) {
    // Only the error's class is logged: a driver error message may quote a parameter.
    logger.error("api call failed", { route: spec.route, error: (err as Error).name });
    handled = { response: errorResponse({ code: "internal_error", message: MESSAGES.internal }), operation: spec.operation, errorCode: "internal_error", parameters: {} };
  }
  await recordApiCall({
    ...base,
    operation: handled.operation,
    parameters: handled.parameters,
    status: handled.response.status,
    errorCode: handled.errorCode,
    durationMs: performance.now() - started,
    ...who,
  });
  return handled.response;
}
