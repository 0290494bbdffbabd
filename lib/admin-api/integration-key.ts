import { CONNECTION_NAME_PATTERN } from "@/lib/integrations/connection-name";

// `{key}` of the admin API: "provider" (= provider:default) or "provider:name".
// Its canonical form drops ":default", so "openai" and "openai:default" name
// one integration in responses and audit rows alike.

export type TIntegrationKey = { provider: string; name: string; canonical: string };

export type TIntegrationKeyParse =
  | { ok: true; key: TIntegrationKey }
  /** No such provider key in the shape we accept: the catalog cannot have it. */
  | { ok: false; problem: "not_in_catalog_shape" }
  | { ok: false; problem: "invalid_name" };

export function canonicalIntegrationKey(provider: string, name: string): string {
  return name === "default" ? provider : `${provider}:${name}`;
}

export function parseIntegrationKey(raw: string): TIntegrationKeyParse {
  const parts = raw.split(":");
  if (parts.length > 2) return { ok: false, problem: "invalid_name" };
  const [provider = "", name = "default"] = parts;
  if (!/^[a-z0-9_]{1,64}$/.test(provider)) return { ok: false, problem: "not_in_catalog_shape" };
  if (!CONNECTION_NAME_PATTERN.test(name)) return { ok: false, problem: "invalid_name" };
  return { ok: true, key: { provider, name, canonical: canonicalIntegrationKey(provider, name) } };
}
