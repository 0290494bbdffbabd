import "server-only";
import type { TConnectionValue } from "@/lib/integrations/connection-value";
import type { TAccountIdentity } from "@/lib/integrations/oauth/quirks";
import type { TTokenSet } from "@/lib/integrations/oauth/protocol";
import { getProvider } from "@/lib/integrations/providers/registry";
import type { Provider } from "@/lib/integrations/providers/types";
import { openRowSecrets, parseValueForUpdate, type TConnectionRow } from "./connection-row";
import { CORRUPTED_STATE_MESSAGE, fail, ok, SECRETS_UNREADABLE_MESSAGE, type TResult } from "./result";

// Shared by the OAuth operations: a row opened into its state, provider and
// secrets, and the state after tokens arrive (connect or refresh).

export type TOpenedConnection = { row: TConnectionRow; value: TConnectionValue; provider: Provider; secrets: Record<string, string> };

export function openConnection(row: TConnectionRow): TResult<TOpenedConnection> {
  const value = parseValueForUpdate(row);
  if (!value) return fail("corrupted_state", CORRUPTED_STATE_MESSAGE);
  const provider = getProvider(value.provider);
  if (!provider) return fail("unknown_provider", "This connection's provider is no longer available.");
  const opened = openRowSecrets(row);
  if (!opened.ok) return fail("corrupted_state", SECRETS_UNREADABLE_MESSAGE);
  return ok({ row, value, provider, secrets: opened.secrets });
}

export function requireOAuth(c: TOpenedConnection): TResult<TOpenedConnection> {
  if (c.provider.authType !== "oauth2" || c.value.auth_type !== "oauth2") {
    return fail("unsupported", `${c.provider.name} connections do not use OAuth.`);
  }
  return ok(c);
}

/** Secrets after a token answer: a rotated refresh token replaces the old one, an omitted one keeps it. */
export function secretsWithTokens(secrets: Record<string, string>, tokens: TTokenSet): Record<string, string> {
  const next: Record<string, string> = { ...secrets, access_token: tokens.accessToken };
  delete next.id_token;
  if (tokens.refreshToken) next.refresh_token = tokens.refreshToken;
  return next;
}

/** Token metadata on the JSON state (never the tokens themselves). */
export function valueWithTokens(value: TConnectionValue, tokens: TTokenSet): TConnectionValue {
  return {
    ...value,
    status: "connected",
    validation_status: null,
    expires_at: tokens.expiresAt?.toISOString() ?? null,
    scopes: tokens.scopes ?? value.scopes ?? [],
  };
}

export function valueWithAccount(value: TConnectionValue, account: TAccountIdentity): TConnectionValue {
  return { ...value, external_account_id: account.id, external_account_email: account.email, external_account_name: account.name };
}

/** What the form shows after "Connected as …". */
export function accountLabel(account: { email: string | null; name: string | null; id: string | null }): string {
  return account.email ?? account.name ?? account.id ?? "the authorized account";
}
