import "server-only";
import type { Provider, SetupField } from "@/lib/integrations/providers/types";
import { fillTemplate, templatePlaceholders } from "@/lib/integrations/providers/url-template";

// A connection's credentials are sent only to its own hosts: the origins of
// the provider's API (registry URLs, after a base-URL override), the URLs an
// operator typed for a generic provider, and the connection's optional
// "Allowed hosts" list. Matching is on scheme + host + port; a typed entry
// without a scheme means https, `*.example.com` matches one subdomain level only
// (api.example.com, not example.com or a.b.example.com).

export const ALLOWED_HOSTS_FIELD = "allowed_hosts";

export const allowedHostsField: SetupField = {
  key: ALLOWED_HOSTS_FIELD,
  label: "Allowed hosts",
  type: "text",
  required: false,
  secret: false,
  format: "host_list",
  placeholder: "gmail.googleapis.com *.example.com",
  help: "Other hosts this connection's credentials may be sent to by authenticated requests (https), separated by spaces or commas. The provider's own API hosts are always allowed.",
};

/** Auth types whose credentials go into HTTP requests (and so take the field). */
export const HTTP_AUTH_TYPES = new Set<Provider["authType"]>(["oauth2", "api_key", "bot_token", "key_secret"]);

type TRule = { protocol: string; host: string; port: string; wildcard: boolean };

const ENTRY_RE = /^(?:(https?):\/\/)?(\*\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)(?::(\d{1,5}))?\/?$/i;

/** Parses the field's text; null when an entry is malformed. */
export function parseAllowedHosts(text: string | undefined): TRule[] | null {
  const entries = (text ?? "").split(/[\s,]+/).filter(Boolean);
  if (entries.length > 50) return null;
  const rules: TRule[] = [];
  for (const entry of entries) {
    const m = ENTRY_RE.exec(entry);
    if (!m) return null;
    const protocol = `${(m[1] ?? "https").toLowerCase()}:`;
    const port = m[4] && Number(m[4]) !== (protocol === "https:" ? 443 : 80) ? String(Number(m[4])) : "";
    if (m[4] && (Number(m[4]) < 1 || Number(m[4]) > 65_535)) return null;
    rules.push({ protocol, host: m[3]!.toLowerCase(), port, wildcard: Boolean(m[2]) });
  }
  return rules;
}

function originRule(url: string): TRule | null {
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" && u.protocol !== "http:") return null;
    return { protocol: u.protocol, host: u.hostname.toLowerCase(), port: u.port, wildcard: false };
  } catch {
    return null;
  }
}

/** A template's URL with the connection's setup filled in; placeholders without a value become "x" (only the origin matters). */
function templateOrigin(template: string | undefined, setup: Record<string, string>): TRule | null {
  if (!template) return null;
  const values: Record<string, string> = {};
  for (const k of templatePlaceholders(template)) values[k] = setup[k] ?? (template.includes(`{+${k}}`) ? "" : "x");
  try {
    return originRule(fillTemplate(template, values));
  } catch {
    return null;
  }
}

/** Every origin the connection's credentials may be sent to. */
export function allowedRules(provider: Provider, setup: Record<string, string>): TRule[] {
  const templates = [provider.apiBaseUrl, provider.oauth?.userinfoUrl, provider.validate.kind === "http" ? provider.validate.url : undefined];
  const rules = templates.map((t) => templateOrigin(t, setup));
  // URLs the operator typed for this connection: an OIDC issuer, an S3-compatible endpoint.
  if (setup.issuer_url) rules.push(originRule(setup.issuer_url));
  if (setup.endpoint) rules.push(originRule(setup.endpoint));
  rules.push(...(parseAllowedHosts(setup[ALLOWED_HOSTS_FIELD]) ?? []));
  return rules.filter((r): r is TRule => r !== null);
}

/** `*.example.com` covers `api.example.com` only: one more label, never the apex or deeper names. */
function isOneLabelBelow(host: string, base: string): boolean {
  if (!host.endsWith(`.${base}`)) return false;
  const label = host.slice(0, -(base.length + 1));
  return label !== "" && !label.includes(".");
}

export function isUrlAllowed(url: URL, rules: TRule[]): boolean {
  const host = url.hostname.toLowerCase();
  return rules.some(
    (r) =>
      r.protocol === url.protocol &&
      r.port === url.port &&
      (r.wildcard ? isOneLabelBelow(host, r.host) : host === r.host),
  );
}
