// The admin API's error contract: `{"error":{"code","message"}}` with these
// codes and statuses (the reference's list, plus internal_error for a bug).

export const API_ERROR_STATUS = {
  invalid_request: 400,
  integration_disabled: 400,
  invalid_credentials: 400,
  unauthorized: 401,
  forbidden_admin_scope: 403,
  forbidden_scope: 403,
  integration_not_found: 404,
  not_found: 404,
  host_not_allowed: 400,
  connection_unusable: 409,
  rate_limited: 429,
  tool_setup_failed: 500,
  internal_error: 500,
  upstream_failed: 502,
} as const;

export type TApiErrorCode = keyof typeof API_ERROR_STATUS;

/** What each code means, for the OpenAPI document and the API docs page. */
export const ERROR_TEXT: Record<TApiErrorCode, string> = {
  invalid_request: "the body is not valid JSON, or a field is missing, empty, oversize or of the wrong type",
  integration_disabled: "the integration is in the catalog but disabled on this platform",
  invalid_credentials: "the provider's connection test refused the value (or its destination did not answer); the stored credential is unchanged",
  unauthorized: "no key, an unknown, revoked, expired or malformed key, or a key in the query string",
  forbidden_admin_scope: "the key is not admin-scoped",
  forbidden_scope: "the consumer API takes consumer-scoped keys only",
  integration_not_found: "`{key}` is not in the catalog",
  not_found: "no such tool or connection (in this organization)",
  host_not_allowed: "the proxied URL is not on one of the connection's hosts; nothing was sent",
  connection_unusable: "the connection exists but cannot be used now: no account connected, reconnect required, or its stored secrets cannot be read",
  rate_limited: "too many calls with this key, too many connection tests (PUT), or (consumer API) a token refresh blocked by the organization's OAuth metadata-read quota; see Retry-After",
  tool_setup_failed: "reserved for a setup step that runs after the credential is saved and fails (no provider has one yet)",
  internal_error: "an unexpected error; nothing was changed",
  upstream_failed: "the proxied call failed: the upstream could not be reached, timed out, or answered more than the size cap",
};

/** `retryAfterSeconds` (rate_limited) becomes the Retry-After header, never part of the body. */
export type TApiError = { code: TApiErrorCode; message: string; retryAfterSeconds?: number };
export type TApiOutcome<T = unknown> = { ok: true; body: T } | { ok: false; error: TApiError };

export function apiOk<T>(body: T): TApiOutcome<T> {
  return { ok: true, body };
}

export function apiFail<T = never>(code: TApiErrorCode, message: string): TApiOutcome<T> {
  return { ok: false, error: { code, message } };
}

export function errorBody(error: TApiError): { error: TApiError } {
  return { error: { code: error.code, message: error.message } };
}

export const MESSAGES = {
  unauthorized: "A valid API key is required: send it as `Authorization: Bearer <key>` or `x-api-key: <key>`.",
  keyInQuery: "API keys are not accepted in the query string (URLs are logged). Send the key in the Authorization header.",
  forbiddenAdmin: "This operation requires an admin-scoped API key.",
  forbiddenConsumer: "The consumer API (/api/v1) requires a consumer-scoped API key.",
  internal: "Something went wrong on our side; nothing was changed. Try again.",
} as const;
