// Who did something. The org is never part of the actor: it comes from the
// session or API key and travels separately in the service context.
export type TActor =
  | { type: "user"; id: string; label: string }
  | { type: "api_key"; id: string; label: string }
  | { type: "system"; label: string };

export const AUDIT_ACTIONS = [
  "org_created",
  "member_added",
  "member_invited",
  "invite_revoked",
  "invite_accepted",
  "member_role_changed",
  "member_removed",
  "password_changed",
  "sessions_revoked",
  "connection_added",
  "setup_saved",
  "connected",
  "validated",
  "token_refreshed",
  "token_refresh_failed",
  "auto_recovered",
  "disconnected",
  "connection_renamed",
  "connection_removed",
  "list_integrations",
  "set_integration_credentials",
  "remove_integration_credentials",
  "credentials_read",
  "keys_rotated",
  "key_rotation_skipped",
  "encryption_key_generated",
  "api_key_created",
  "api_key_revoked",
  "api_key_used_after_revoke",
] as const;
export type TAuditAction = (typeof AUDIT_ACTIONS)[number];

export type TAuditEntry = {
  orgId: string;
  actor: TActor;
  action: TAuditAction;
  target?: { type: string; id: string };
  /** Never secrets: callers pass only names, counts and flags. */
  metadata?: Record<string, string | number | boolean | null>;
};
