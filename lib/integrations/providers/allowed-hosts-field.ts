import "server-only";
import { ALLOWED_HOSTS_FIELD, allowedHostsField, HTTP_AUTH_TYPES } from "@/lib/integrations/allowed-hosts";
import { TOKEN_FIELDS } from "./token-fields";
import type { Provider } from "./types";

/** Every provider whose credentials go into HTTP requests gets the optional "Allowed hosts" field (last on the form). */
export function withAllowedHostsField(provider: Provider): Provider {
  if (!HTTP_AUTH_TYPES.has(provider.authType) || provider.setupFields.some((f) => f.key === ALLOWED_HOSTS_FIELD)) return provider;
  // Adding a host adds a place the credentials may be sent: the stored secrets must be typed again (destination-guard).
  const secrets = provider.setupFields.filter((f) => f.secret).map((f) => f.key);
  const destinationFor = [...secrets, ...(provider.authType === "oauth2" ? TOKEN_FIELDS : [])];
  return { ...provider, setupFields: [...provider.setupFields, { ...allowedHostsField, destinationFor }] };
}
