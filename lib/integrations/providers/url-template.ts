import "server-only";

import type { Provider } from "./types";

// URL templates in provider definitions: `{key}` placeholders filled from the
// connection's setup fields, so one definition serves every tenant, region or
// self-hosted instance.

/** `{key}` (URL-encoded value) or `{+key}` (reserved expansion: a URL or path as is). */
const PLACEHOLDER_RE = /\{(\+?)([a-z0-9_]+)\}/g;

/** Setup-field keys referenced by `{key}` / `{+key}` placeholders in a template. */
export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER_RE)].map((m) => m[2] ?? "");
}

/** Characters RFC 6570 reserved expansion leaves alone (plus valid %XX triplets). */
const RESERVED_EXPANSION_UNSAFE = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu;

/**
 * Fills `{key}` placeholders with URL-encoded values and `{+key}` placeholders
 * with the value as is (only characters that are never valid in a URL are
 * escaped). A missing `{+key}` becomes empty (optional URL parts); a missing
 * `{key}` throws, naming the field but never a value.
 */
export function fillTemplate(url: string, values: Record<string, string>): string {
  return url.replace(PLACEHOLDER_RE, (_match, plus: string, key: string) => {
    const value = Object.hasOwn(values, key) ? values[key] : undefined;
    if (plus === "+") {
      return (value ?? "").replace(RESERVED_EXPANSION_UNSAFE, (c) => encodeURIComponent(c));
    }
    if (value === undefined || value === "") {
      throw new Error(`Missing setup field "${key}" for this provider's URL`);
    }
    return encodeURIComponent(value);
  });
}

/** A URL template: absolute http(s), or starting with a `{+field}` that supplies the URL. */
export function isUrlTemplate(url: string): boolean {
  return /^https?:\/\/[^/?#\s]+/.test(url) || /^\{\+[a-z0-9_]+\}/.test(url);
}

/** Every URL template a provider carries, with where it lives (for messages). */
export function providerUrlTemplates(p: Provider): { where: string; url: string }[] {
  const out: { where: string; url: string }[] = [];
  if (p.oauth) {
    out.push({ where: "oauth.authorizeUrl", url: p.oauth.authorizeUrl });
    out.push({ where: "oauth.tokenUrl", url: p.oauth.tokenUrl });
    if (p.oauth.userinfoUrl !== undefined) out.push({ where: "oauth.userinfoUrl", url: p.oauth.userinfoUrl });
    if (p.oauth.revokeUrl !== undefined) out.push({ where: "oauth.revokeUrl", url: p.oauth.revokeUrl });
  }
  if (p.validate.kind === "http") out.push({ where: "validate.url", url: p.validate.url });
  if (p.apiBaseUrl !== undefined) out.push({ where: "apiBaseUrl", url: p.apiBaseUrl });
  return out;
}
