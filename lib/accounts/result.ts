// Accounts operations return a result instead of throwing for expected
// failures; every error carries a stable code and a message a person can act on.

export type TAccountsErrorCode =
  | "invalid_input"
  | "wrong_password"
  | "throttled"
  | "busy"
  | "not_found"
  | "last_admin"
  | "already_member"
  | "invalid_invite"
  | "account_exists"
  | "invalid_setup_token"
  | "setup_done";

export type TAccountsError = {
  code: TAccountsErrorCode;
  message: string;
  /** Per-field messages; never contain submitted values. */
  fields?: Record<string, string>;
};

export type TAccountsResult<T> = { ok: true; value: T } | { ok: false; error: TAccountsError };

export function ok<T>(value: T): TAccountsResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: TAccountsErrorCode, message: string, fields?: Record<string, string>): TAccountsResult<T> {
  return { ok: false, error: { code, message, ...(fields ? { fields } : {}) } };
}

/** "14 minutes", "30 seconds": how long a throttled caller waits. */
export function describeWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return s === 1 ? "1 second" : `${s} seconds`;
  const minutes = Math.ceil(s / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
