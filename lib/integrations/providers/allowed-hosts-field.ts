import "server-only";
import { ALLOWED_HOSTS_FIELD, allowedHostsField, HTTP_AUTH_TYPES } from "@/lib/integrations/allowed-hosts";
import type { Provider } from "./types";

/** Every provider whose credentials go into HTTP requests gets the optional "Allowed hosts" field (last on the form). */
export function withAllowedHostsField(provider: Provider): Provider {
  if (!HTTP_AUTH_TYPES.has(provider.authType) || provider.setupFields.some((f) => f.key === ALLOWED_HOSTS_FIELD)) return provider;
  return { ...provider, setupFields: [...provider.setupFields, allowedHostsField] };
}
