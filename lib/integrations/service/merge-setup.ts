import "server-only";
import type { TConnectionValue } from "@/lib/integrations/connection-value";
import { validateSetupInput } from "@/lib/integrations/providers/setup-validation";
import type { Provider } from "@/lib/integrations/providers/types";
import type { TSecretsRead } from "./connection-row";
import { changedDestinations, secretRequiredMessage, secretsToRetype, tokensToDrop } from "./destination-guard";
import { fail, ok, SECRETS_UNREADABLE_MESSAGE, type TResult } from "./result";
import { statusAfterSave } from "./runtime-status";

// The one rule for writing setup fields over a stored connection, shared by
// the UI's setup form (saveSetup) and the admin API's PUT (upsertCredentials):
// obtained tokens and the account survive, unless a field that decides where
// a secret goes (`destinationFor`) changed; then stored secrets must be typed
// again and tokens are dropped.

/** What a connection forgets with its access token (as disconnect does); a new one starts without it. */
export const DROPPED_CONNECTION = {
  connected_at: null,
  expires_at: null,
  scopes: [],
  external_account_id: null,
  external_account_name: null,
  external_account_email: null,
} satisfies Partial<TConnectionValue>;

export type TMergeSetupInput = {
  /** Setup field values. A blank or missing secret keeps the stored one (write-only "Replace"). */
  attrs: Record<string, string>;
  /** Secret fields whose stored value is deleted. */
  clear?: string[];
};

export type TMergedSetup = {
  next: TConnectionValue;
  /** Everything the sealed blob holds afterwards: typed secrets and kept tokens. */
  secrets: Record<string, string>;
  /** Setup field keys whose value changed (names, never values). */
  changed: string[];
  /** Obtained tokens dropped because a destination changed. */
  dropped: string[];
};

/** The connection's next state, or why the save is refused; pure (the caller reads, locks and writes). */
export function mergeSetup(provider: Provider, value: TConnectionValue, opened: TSecretsRead, input: TMergeSetupInput): TResult<TMergedSetup> {
  const secretKeys = new Set(provider.setupFields.filter((f) => f.secret).map((f) => f.key));
  const cleared = new Set((input.clear ?? []).filter((k) => secretKeys.has(k)));
  const typed = Object.fromEntries(
    Object.entries(input.attrs).filter(([k, v]) => typeof v === "string" && !(secretKeys.has(k) && v.trim() === "")),
  );
  // Unreadable secrets (tampered, foreign, missing) are never decrypted: the
  // save must replace every one of them, or remove it, and tokens are gone.
  if (!opened.ok) {
    const missing = value.secrets_set.filter((k) => !Object.hasOwn(typed, k) && !cleared.has(k));
    if (missing.length > 0) {
      const fields = Object.fromEntries(missing.map((k) => [k, "The stored value cannot be read: type it again."]));
      return fail("corrupted_state", SECRETS_UNREADABLE_MESSAGE, fields);
    }
  }
  const stored = opened.ok ? opened.secrets : {};
  const keptSecrets = Object.fromEntries(Object.entries(stored).filter(([k]) => secretKeys.has(k) && !cleared.has(k)));
  // Merge: a field left out keeps its stored value; a submitted one (even "" for a non-secret) replaces it.
  const checked = validateSetupInput(provider, { ...value.setup, ...keptSecrets, ...typed });
  if (!checked.ok) return fail("invalid_setup", "Some fields need attention.", checked.errors);

  const setup: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(checked.values)) (secretKeys.has(k) ? secrets : setup)[k] = v;
  // Tokens obtained from the provider survive a setup save…
  for (const [k, v] of Object.entries(stored)) if (!secretKeys.has(k)) secrets[k] = v;

  // …unless a field that decides where secrets go changed: then the typed
  // ones must be typed again and the obtained ones are dropped.
  const moved = changedDestinations(provider, { setup: value.setup, secrets: stored }, { setup, secrets });
  const keptFromStorage = new Set(Object.keys(keptSecrets).filter((k) => !Object.hasOwn(typed, k)));
  const retype = secretsToRetype(provider, moved, keptFromStorage);
  if (Object.keys(retype).length > 0) {
    return fail("secret_required", secretRequiredMessage(provider, Object.keys(retype), moved), retype);
  }
  const dropped = tokensToDrop(moved).filter((k) => Object.hasOwn(secrets, k));
  for (const k of dropped) delete secrets[k];

  const changed = provider.setupFields
    .filter((f) => (f.secret ? (secrets[f.key] ?? "") !== (stored[f.key] ?? "") : (setup[f.key] ?? "") !== (value.setup[f.key] ?? "")))
    .map((f) => f.key);
  const next: TConnectionValue = {
    ...value,
    ...(dropped.includes("access_token") || (!opened.ok && provider.authType === "oauth2") ? DROPPED_CONNECTION : {}),
    setup,
    secrets_set: Object.keys(secrets).filter((k) => secretKeys.has(k)).sort(),
    status: statusAfterSave(provider, value, setup, secrets, changed.length > 0),
    ...(changed.length > 0 ? { validation_status: null } : {}),
  };
  return ok({ next, secrets, changed, dropped });
}

/**
 * A PUT's complete setup as a merge: every field it leaves out is emptied
 * (non-secrets as "", secrets cleared), so only obtained tokens and the
 * account can survive from the stored state.
 */
export function replaceAllInput(provider: Provider, attrs: Record<string, string>): TMergeSetupInput {
  // A blank secret means "keep" in the form; in a PUT it means "none".
  const missing = provider.setupFields.filter((f) => !Object.hasOwn(attrs, f.key) || (f.secret && (attrs[f.key] ?? "").trim() === ""));
  return {
    attrs: { ...Object.fromEntries(missing.filter((f) => !f.secret).map((f) => [f.key, ""])), ...attrs },
    clear: missing.filter((f) => f.secret).map((f) => f.key),
  };
}
