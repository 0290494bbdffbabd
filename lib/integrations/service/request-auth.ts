import "server-only";
import type { Provider } from "@/lib/integrations/providers/types";

// Where a non-OAuth credential goes in an HTTP request, read from the
// registry's description of the provider (the same one Test Connection
// uses): a Bearer token, the provider's own header (with its prefix), HTTP
// basic auth, or a query parameter. Providers whose credential is part of the
// URL path (Telegram) or that sign requests (AWS SigV4) are not proxied.

export type TRequestAuth = { headers: Record<string, string>; query: Record<string, string> };

export function credentialPlacement(
  provider: Provider,
  setup: Record<string, string>,
  secrets: Record<string, string>,
): { ok: true; auth: TRequestAuth } | { ok: false; message: string; missing?: true } {
  const values = { ...setup, ...secrets };
  const v = provider.validate;
  // An empty credential is never sent (no "Authorization: Bearer " upstream): the connection is not usable.
  const needed = v.kind !== "http" ? [] : v.auth.type === "basic" ? [v.auth.passwordField] : v.auth.type === "path" ? [] : [v.auth.field];
  const empty = needed.find((field) => !values[field]);
  if (empty) return { ok: false, missing: true, message: `This connection has no ${empty} saved. Save its credentials on its page.` };
  if (v.kind !== "http") {
    return { ok: false, message: `${provider.name} credentials are not sent as an HTTP header; read them with getCredentials.` };
  }
  const a = v.auth;
  const need = (key: string) => values[key] ?? "";
  switch (a.type) {
    case "bearer":
      return { ok: true, auth: { headers: { authorization: `Bearer ${need(a.field)}` }, query: {} } };
    case "header": {
      const header = (a.headerField && setup[a.headerField]) || a.header;
      const prefix = (a.prefixField && setup[a.prefixField]) || a.prefix || "";
      return { ok: true, auth: { headers: { [header.toLowerCase()]: `${prefix}${need(a.field)}` }, query: {} } };
    }
    case "basic": {
      const token = Buffer.from(`${need(a.usernameField)}:${need(a.passwordField)}`, "utf8").toString("base64");
      return { ok: true, auth: { headers: { authorization: `Basic ${token}` }, query: {} } };
    }
    case "query":
      return { ok: true, auth: { headers: {}, query: { [a.param]: need(a.field) } } };
    case "path":
      return { ok: false, message: `${provider.name} puts its token in the URL path; read it with getCredentials.` };
  }
}

/** The provider's fixed headers (API versions) plus the caller's, minus anything that carries credentials. */
export function callerHeaders(provider: Provider, headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (provider.validate.kind === "http") for (const [k, v] of Object.entries(provider.validate.headers ?? {})) out[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(headers ?? {})) {
    const name = k.toLowerCase();
    if (name === "authorization" || name === "cookie" || name === "proxy-authorization" || name === "host") continue;
    out[name] = v;
  }
  return out;
}
