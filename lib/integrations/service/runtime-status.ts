import "server-only";
import type { TConnectionStatus, TConnectionValue } from "@/lib/integrations/connection-value";
import type { Provider } from "@/lib/integrations/providers/types";

export { TOKEN_FIELDS } from "@/lib/integrations/providers/token-fields";

/**
 * A connection is usable once its runtime credentials exist: an access token
 * for OAuth, otherwise every required setup field (the provider's own rules,
 * such as "a connection string or host, database and user", were checked on
 * save; an SMTP relay without login has no secret at all). Until then it is
 * `disconnected`; a freshly saved credential is `configured` (not yet tested).
 */
export function hasRuntimeCredentials(
  provider: Provider,
  setup: Record<string, string>,
  secrets: Record<string, string>,
): boolean {
  if (provider.authType === "oauth2") return Boolean(secrets.access_token);
  const filled = (key: string) => Boolean(secrets[key] || setup[key]);
  return provider.setupFields.every((f) => !f.required || filled(f.key)) && provider.setupFields.some((f) => filled(f.key));
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
