import "server-only";
import type { TConnectionStatus, TConnectionValue } from "@/lib/integrations/connection-value";
import type { Provider } from "@/lib/integrations/providers/types";

/** Secrets obtained from the provider rather than typed by an operator. */
export const TOKEN_FIELDS = ["access_token", "refresh_token", "id_token"] as const;

/**
 * A connection is usable once its runtime credentials exist: an access token
 * for OAuth, otherwise every required setup field. Until then it is
 * `disconnected`; a freshly saved credential is `configured` (not yet tested).
 */
export function hasRuntimeCredentials(
  provider: Provider,
  setup: Record<string, string>,
  secrets: Record<string, string>,
): boolean {
  if (provider.authType === "oauth2") return Boolean(secrets.access_token);
  const secretFields = provider.setupFields.filter((f) => f.secret);
  const anySecret = secretFields.some((f) => secrets[f.key]);
  const requiredMet = provider.setupFields.every((f) => !f.required || (f.secret ? secrets[f.key] : setup[f.key]));
  return requiredMet && (secretFields.length === 0 || anySecret);
}

export function statusAfterSave(
  provider: Provider,
  before: TConnectionValue,
  setup: Record<string, string>,
  secrets: Record<string, string>,
  credentialsChanged: boolean,
): TConnectionStatus {
  if (!hasRuntimeCredentials(provider, setup, secrets)) return "disconnected";
  if (provider.authType === "oauth2") return before.status === "disconnected" ? "connected" : before.status;
  return credentialsChanged || before.status === "disconnected" ? "configured" : before.status;
}
