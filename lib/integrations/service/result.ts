// Service operations return a Result instead of throwing for expected
// failures; every error carries a stable code and a message a person can act on.

export type TServiceErrorCode =
  | "empty_name"
  | "invalid_name"
  | "already_exists"
  | "unknown_provider"
  | "provider_disabled"
  | "limit_reached"
  | "not_configured"
  | "not_found"
  | "invalid"
  | "invalid_uuid"
  | "invalid_setup"
  | "corrupted_state"
  | "secret_required"
  | "keys_from_environment"
  // OAuth connections and authenticated requests (oauth-*.ts, refresh-token.ts, authenticated-request.ts)
  | "oauth_state_invalid"
  | "oauth_failed"
  | "not_connected"
  | "reconnect_required"
  | "refresh_failed"
  | "host_not_allowed"
  | "unsupported"
  | "upstream_failed"
  | "rate_limited"
  // Admin API: the provider's probe refused the submitted credentials (or their destination did not answer).
  | "invalid_credentials";

export type TServiceError = {
  code: TServiceErrorCode;
  message: string;
  /** Per-field messages (invalid_setup, secret_required); never contains submitted values. */
  fields?: Record<string, string>;
  /** rate_limited: seconds until another attempt is accepted. */
  retryAfterSeconds?: number;
};

export type TResult<T> = { ok: true; value: T } | { ok: false; error: TServiceError };

export function ok<T>(value: T): TResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: TServiceErrorCode, message: string, fields?: Record<string, string>): TResult<T> {
  return { ok: false, error: { code, message, ...(fields ? { fields } : {}) } };
}

export const NOT_CONFIGURED_MESSAGE = "This connection no longer exists. It may have been removed.";
export const NOT_CONNECTED_MESSAGE = "This connection has no account connected. Save its credentials or use Connect account on its page.";
export const INVALID_UUID_MESSAGE = "That is not a connection id (a UUID).";
export const CORRUPTED_STATE_MESSAGE = "This connection's stored state cannot be read. Remove it and add it again.";
export const SECRETS_UNREADABLE_MESSAGE =
  "This connection's stored secrets cannot be read: they were changed outside Switchboard or sealed with a key this server does not have. Enter them again, or disconnect or remove the connection.";
