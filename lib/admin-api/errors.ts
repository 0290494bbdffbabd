// The admin API's error contract: `{"error":{"code","message"}}` with these
// codes and statuses (the reference's list, plus internal_error for a bug).

export const API_ERROR_STATUS = {
  invalid_request: 400,
  integration_disabled: 400,
  invalid_credentials: 400,
  unauthorized: 401,
  forbidden_admin_scope: 403,
  integration_not_found: 404,
  not_found: 404,
  rate_limited: 429,
  tool_setup_failed: 500,
  internal_error: 500,
} as const;

export type TApiErrorCode = keyof typeof API_ERROR_STATUS;
export type TApiError = { code: TApiErrorCode; message: string };
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
  internal: "Something went wrong on our side; nothing was changed. Try again.",
} as const;
