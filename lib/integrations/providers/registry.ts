import "server-only";

import { z } from "zod";

import { env, providerBaseUrlOverrides } from "@/lib/env";

import { builtInProviders } from "./built-in";
import { BUILT_IN_MODULES } from "./modules";
import {
  AUTH_TYPES,
  CAPABILITIES,
  FIELD_TYPES,
  type Provider,
  type ProviderModule,
  type SetupField,
  type ValidationDescriptor,
} from "./types";

// The provider registry: built-in definitions plus what modules contribute,
// with the platform switches (disabled providers, base-URL overrides) applied.
// Computed once per process; registering a module or clearProviderCache()
// recomputes it.

// ---------------------------------------------------------------------------
// URL templates

const KEY_RE = /^[a-z0-9_]+$/;
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

// ---------------------------------------------------------------------------
// Provider schema (validates module contributions, and the built-ins too)

const ZSetupField = z.object({
  key: z.string().regex(KEY_RE, "field keys match ^[a-z0-9_]+$").max(64),
  label: z.string().min(1),
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
  placeholder: z.string().optional(),
  help: z.string().optional(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  secret: z.boolean(),
  format: z.enum(["url", "pem", "email", "hostname"]).optional(),
  default: z.string().optional(),
});

const ZOAuthConfig = z.object({
  authorizeUrl: z.string().min(1),
  tokenUrl: z.string().min(1),
  userinfoUrl: z.string().min(1).optional(),
  revokeUrl: z.string().min(1).optional(),
  defaultScopes: z.array(z.string().min(1)),
  extraAuthParams: z.record(z.string(), z.string()).optional(),
  pkce: z.boolean(),
  scopeSeparator: z.string().min(1).optional(),
  scopesField: z.string().optional(),
});

const ZHttpAuth = z.discriminatedUnion("type", [
  z.object({ type: z.literal("bearer"), field: z.string() }),
  z.object({
    type: z.literal("header"),
    header: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be an HTTP header name"),
    field: z.string(),
    prefix: z.string().optional(),
    headerField: z.string().optional(),
    prefixField: z.string().optional(),
  }),
  z.object({ type: z.literal("basic"), usernameField: z.string(), passwordField: z.string() }),
  z.object({ type: z.literal("query"), param: z.string().min(1), field: z.string() }),
  z.object({ type: z.literal("path"), field: z.string() }),
]);

const ZValidationDescriptor = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("http"),
    method: z.enum(["GET", "POST"]),
    url: z.string().min(1),
    auth: ZHttpAuth,
    headers: z.record(z.string(), z.string()).optional(),
    successPath: z.string().min(1).optional(),
    accountPath: z.string().min(1).optional(),
  }),
  z.object({ kind: z.literal("oauth_userinfo") }),
  z.object({ kind: z.literal("smtp") }),
  z.object({ kind: z.literal("postgresql") }),
  z.object({ kind: z.literal("sftp") }),
  z.object({ kind: z.literal("none") }),
]);

/** A URL template: absolute http(s), or starting with a `{+field}` that supplies the URL. */
function isUrlTemplate(url: string): boolean {
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

function validationFieldRefs(v: ValidationDescriptor): string[] {
  if (v.kind !== "http") return [];
  const a = v.auth;
  switch (a.type) {
    case "basic":
      return [a.usernameField, a.passwordField];
    case "header":
      return [a.field, ...(a.headerField ? [a.headerField] : []), ...(a.prefixField ? [a.prefixField] : [])];
    default:
      return [a.field];
  }
}

export const ZProvider = z
  .object({
    key: z.string().regex(KEY_RE, "provider keys match ^[a-z0-9_]+$").max(64),
    name: z.string().min(1).max(100),
    description: z.string().min(1).max(300),
    icon: z.string().regex(/^[a-z0-9]+$/, "a simple-icons slug or \"generic\""),
    authType: z.enum(AUTH_TYPES),
    oauth: ZOAuthConfig.optional(),
    setupFields: z.array(ZSetupField),
    capabilities: z.array(z.enum(CAPABILITIES)),
    validate: ZValidationDescriptor,
    apiBaseUrl: z.string().min(1).optional(),
    docsUrl: z.url({ protocol: /^https?$/ }).optional(),
    instructions: z.array(z.string().min(1)).optional(),
    enabled: z.boolean(),
  })
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const fieldKeys = new Set<string>();
    p.setupFields.forEach((f, i) => {
      if (fieldKeys.has(f.key)) issue(["setupFields", i, "key"], `duplicate setup field "${f.key}"`);
      fieldKeys.add(f.key);
      if (f.type === "password" && !f.secret) issue(["setupFields", i, "secret"], "password fields must be secret");
      if (f.type === "select") {
        const values = (f.options ?? []).map((o) => o.value);
        if (values.length === 0) issue(["setupFields", i, "options"], "select fields need options");
        if (f.default !== undefined && !values.includes(f.default))
          issue(["setupFields", i, "default"], "the default must be one of the options");
      }
    });
    if (p.authType === "oauth2") {
      if (!p.oauth) issue(["oauth"], "oauth2 providers need an oauth config");
      for (const k of ["client_id", "client_secret"]) {
        if (!fieldKeys.has(k)) issue(["setupFields"], `oauth2 providers need a "${k}" setup field`);
      }
      if (p.validate.kind !== "oauth_userinfo" && p.validate.kind !== "none")
        issue(["validate"], "oauth2 providers validate with oauth_userinfo (or none)");
    } else if (p.oauth) {
      issue(["oauth"], "only oauth2 providers have an oauth config");
    }
    if (p.oauth?.scopesField !== undefined && !fieldKeys.has(p.oauth.scopesField))
      issue(["oauth", "scopesField"], `unknown setup field "${p.oauth.scopesField}"`);
    for (const { where, url } of providerUrlTemplates(p)) {
      const path = where.split(".");
      if (!isUrlTemplate(url)) issue(path, "must be an absolute http(s) URL or start with {+field}");
      for (const k of templatePlaceholders(url)) {
        if (!fieldKeys.has(k)) issue(path, `placeholder {${k}} names no setup field`);
      }
    }
    for (const k of validationFieldRefs(p.validate)) {
      if (!fieldKeys.has(k)) issue(["validate", "auth"], `unknown setup field "${k}"`);
    }
  });

// Compile-time guarantee that the schema and the TypeScript contract agree.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const _schemaMatchesContract: Equals<z.output<typeof ZProvider>, Provider> = true;
void _schemaMatchesContract;

const ZProviderModule = z.object({
  name: z.string().trim().min(1, "module name is required").max(100),
  providers: z.array(z.unknown()).optional(),
  uses: z.array(z.string().regex(KEY_RE, "provider keys match ^[a-z0-9_]+$")).optional(),
});

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(provider)"}: ${i.message}`).join("; ");
}

// ---------------------------------------------------------------------------
// Base-URL override

const TEMPLATE_URL_RE = /^(https?:\/\/)([^/?#]*)(.*)$/s;
/** host[:port], where the host may contain `{placeholders}`; no userinfo. */
const AUTHORITY_RE = /^(?:[A-Za-z0-9.-]|\{[a-z0-9_]+\})+(?::\d{1,5})?$/;

function rewriteOrigin(url: string, origin: string, prefix: string): string {
  const m = TEMPLATE_URL_RE.exec(url);
  if (!m || !AUTHORITY_RE.test(m[2] ?? "")) return url; // e.g. "{+base_url}…": nothing to rewrite
  return `${origin}${prefix}${m[3] ?? ""}`;
}

/**
 * The provider with the origin (scheme, host, port) of every absolute URL in
 * its oauth config, validate descriptor and apiBaseUrl replaced by
 * `baseUrl`'s; paths and queries are kept. A path in `baseUrl` (a proxy
 * mount point) is prepended to each path. URLs that start with a `{+field}`
 * (whole URLs typed by the operator) are left alone.
 */
export function withBaseUrl(provider: Provider, baseUrl: string): Provider {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new Error(`Invalid base URL override for provider "${provider.key}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`Base URL override for provider "${provider.key}" must be http(s)`);
  }
  const prefix = parsed.pathname.replace(/\/+$/, "");
  const rw = (url: string) => rewriteOrigin(url, parsed.origin, prefix);
  const out: Provider = { ...provider };
  if (provider.oauth) {
    const o = provider.oauth;
    out.oauth = {
      ...o,
      authorizeUrl: rw(o.authorizeUrl),
      tokenUrl: rw(o.tokenUrl),
      ...(o.userinfoUrl !== undefined ? { userinfoUrl: rw(o.userinfoUrl) } : {}),
      ...(o.revokeUrl !== undefined ? { revokeUrl: rw(o.revokeUrl) } : {}),
    };
  }
  if (provider.validate.kind === "http") out.validate = { ...provider.validate, url: rw(provider.validate.url) };
  if (provider.apiBaseUrl !== undefined) out.apiBaseUrl = rw(provider.apiBaseUrl);
  return out;
}

// ---------------------------------------------------------------------------
// Registry state

const registeredModules: { name: string; providers: Provider[]; uses: string[] }[] = [];
let seeded = false;

type Computed = {
  list: Provider[];
  byKey: Map<string, Provider>;
  usedBy: Record<string, string[]>;
};
let cache: Computed | undefined;

function seedBuiltInModules(): void {
  if (seeded) return;
  seeded = true;
  for (const mod of BUILT_IN_MODULES) registerProviderModule(mod);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function compute(): Computed {
  seedBuiltInModules();
  const disabled = new Set(env().SWITCHBOARD_DISABLED_PROVIDERS);
  const overrides = providerBaseUrlOverrides();
  const all: Provider[] = [];
  for (const p of builtInProviders) {
    const parsed = ZProvider.safeParse(p);
    if (!parsed.success) throw new Error(`Built-in provider "${p.key}" is invalid: ${describeIssues(parsed.error)}`);
    all.push(parsed.data);
  }
  for (const m of registeredModules) all.push(...m.providers);

  const list = all
    .map((p) => {
      const override = overrides[p.key];
      const withOverride = override !== undefined ? withBaseUrl(p, override) : { ...p };
      withOverride.enabled = p.enabled && !disabled.has(p.key);
      return deepFreeze(withOverride);
    })
    .sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || a.key.localeCompare(b.key));

  const usedBy: Record<string, string[]> = {};
  for (const m of registeredModules) {
    for (const key of [...m.providers.map((p) => p.key), ...m.uses]) {
      const names = (usedBy[key] ??= []);
      if (!names.includes(m.name)) names.push(m.name);
    }
  }
  return { list, byKey: new Map(list.map((p) => [p.key, p])), usedBy };
}

function computed(): Computed {
  cache ??= compute();
  return cache;
}

/** All providers (built-in + contributed), sorted by name, switches applied. */
export function listProviders(): Provider[] {
  return computed().list.slice();
}

/** Looks up "google" or "google:personal" (the connection name is ignored). */
export function getProvider(keyOrKeyWithName: string): Provider | undefined {
  const colon = keyOrKeyWithName.indexOf(":");
  const key = colon === -1 ? keyOrKeyWithName : keyOrKeyWithName.slice(0, colon);
  return computed().byKey.get(key.trim());
}

/** providerKey → names of the modules that use (or contribute) it. */
export function usedByModules(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(computed().usedBy)) out[k] = [...v];
  return out;
}

/**
 * Registers a module's providers and the providers it uses. Each contributed
 * provider is validated against `ZProvider`; a key that already exists
 * (built-in or from another module) or a module name registered twice is
 * rejected with an Error and nothing is registered.
 */
export function registerProviderModule(mod: ProviderModule): void {
  seedBuiltInModules();
  const shape = ZProviderModule.safeParse(mod);
  if (!shape.success) throw new Error(`Invalid provider module: ${describeIssues(shape.error)}`);
  const name = shape.data.name;
  if (registeredModules.some((m) => m.name === name)) {
    throw new Error(`Provider module "${name}" is already registered`);
  }
  const taken = new Map<string, string>();
  for (const p of builtInProviders) taken.set(p.key, "a built-in provider");
  for (const m of registeredModules) for (const p of m.providers) taken.set(p.key, `module "${m.name}"`);

  const providers: Provider[] = [];
  (mod.providers ?? []).forEach((candidate, i) => {
    const parsed = ZProvider.safeParse(candidate);
    if (!parsed.success) {
      const label = typeof candidate?.key === "string" ? `"${candidate.key}"` : `#${i}`;
      throw new Error(`Provider module "${name}": provider ${label} is invalid: ${describeIssues(parsed.error)}`);
    }
    const owner = taken.get(parsed.data.key);
    if (owner !== undefined) {
      throw new Error(
        `Provider module "${name}": duplicate provider key "${parsed.data.key}" (already defined by ${owner})`,
      );
    }
    taken.set(parsed.data.key, `module "${name}"`);
    providers.push(parsed.data);
  });

  registeredModules.push({ name, providers, uses: [...new Set(shape.data.uses ?? [])] });
  cache = undefined;
}

/** Removes a module registered with registerProviderModule; false when unknown. */
export function unregisterProviderModule(name: string): boolean {
  const i = registeredModules.findIndex((m) => m.name === name);
  if (i === -1) return false;
  registeredModules.splice(i, 1);
  cache = undefined;
  return true;
}

/** Forget the computed list (tests change the environment between cases). */
export function clearProviderCache(): void {
  cache = undefined;
}

// ---------------------------------------------------------------------------
// Setup validation ("save")

const PEM_RE =
  /^-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----\r?\n(?:[A-Za-z0-9-]+: [^\r\n]*\r?\n)*(?:\r?\n)?((?:[A-Za-z0-9+/=]+\r?\n)+)-----END \1PRIVATE KEY-----$/;
const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const HOSTNAME_RE =
  /^(?=.{1,253}$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV6_RE = /^\[?[0-9A-Fa-f:.]+\]?$/;
const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A PEM private key block (PKCS#8, PKCS#1, SEC1, OpenSSH, encrypted) with a base64 body. */
export function isPemPrivateKey(text: string): boolean {
  const m = PEM_RE.exec(text.trim());
  if (!m) return false;
  const body = (m[2] ?? "").replace(/\s+/g, "");
  return body.length >= 16 && /^[A-Za-z0-9+/]+={0,2}$/.test(body) && body.length % 4 === 0;
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "" && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** Fields whose value is taken verbatim (leading/trailing spaces may matter). */
const UNTRIMMED = new Set(["password", "passphrase"]);

function fieldSchema(f: SetupField) {
  const label = f.label;
  let s = z
    .string({ error: `${label} is required` })
    .max(f.type === "textarea" || f.format === "pem" ? 16_384 : 4_096, `${label} is too long`);
  if (f.type === "number") {
    s = s.regex(/^\d{1,9}$/, `${label} must be a whole number`);
    if (f.key === "port" || f.key.endsWith("_port")) {
      s = s.refine((v) => Number(v) >= 1 && Number(v) <= 65_535, `${label} must be between 1 and 65535`);
    }
  }
  if (f.type === "select") {
    const allowed = (f.options ?? []).map((o) => o.value);
    s = s.refine((v) => allowed.includes(v), `${label} must be one of: ${allowed.join(", ")}`);
  }
  switch (f.format) {
    case "url":
      s = s.refine(isHttpUrl, `${label} must be an http:// or https:// URL`);
      break;
    case "email":
      s = s.regex(EMAIL_RE, `${label} must be an email address`);
      break;
    case "hostname":
      s = s.refine((v) => HOSTNAME_RE.test(v) || IPV6_RE.test(v), `${label} must be a host name or IP address`);
      break;
    case "pem":
      s = s.refine(isPemPrivateKey, "Private key must be PEM (-----BEGIN … PRIVATE KEY-----)");
      break;
  }
  return f.required ? s : s.optional();
}

type Values = Record<string, string | undefined>;
type Issue = (key: string, message: string) => void;

/** Cross-field rules of specific providers. Messages name fields, never values. */
const providerRules: Record<string, (v: Values, issue: Issue) => void> = {
  postgresql(v, issue) {
    if (v.connection_string !== undefined) {
      if (!/^postgres(?:ql)?:\/\//i.test(v.connection_string)) {
        issue("connection_string", "Connection string must start with postgres:// or postgresql://");
      }
      return;
    }
    const missing = (["host", "database", "user"] as const).filter((k) => v[k] === undefined);
    if (missing.length === 3) {
      issue("connection_string", "Enter a connection string, or host, database and user");
      return;
    }
    const labels = { host: "Host", database: "Database", user: "User" };
    for (const k of missing) issue(k, `${labels[k]} is required when no connection string is given`);
  },
  sftp(v, issue) {
    if (v.auth_method === "password" && v.password === undefined) {
      issue("password", "Password is required for password authentication");
    }
    if (v.auth_method === "private_key" && v.private_key === undefined) {
      issue("private_key", "Private key is required for key authentication");
    }
  },
  microsoft(v, issue) {
    if (v.tenant !== undefined && !/^[A-Za-z0-9.-]{1,100}$/.test(v.tenant)) {
      issue("tenant", "Tenant must be common, organizations, consumers, a tenant ID or a domain");
    }
  },
  aws_ses(v, issue) {
    if (v.region !== undefined && !/^[a-z0-9-]{1,32}$/.test(v.region)) issue("region", "Region must look like us-east-1");
  },
  s3(v, issue) {
    if (v.region !== undefined && !/^[a-z0-9-]{1,32}$/.test(v.region)) issue("region", "Region must look like us-east-1");
    if (v.bucket !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(v.bucket)) {
      issue("bucket", "Bucket must be a valid bucket name");
    }
  },
  twilio(v, issue) {
    if (v.account_sid !== undefined && !/^AC[A-Za-z0-9]{2,64}$/.test(v.account_sid)) {
      issue("account_sid", "Account SID starts with AC");
    }
    if (v.key_sid !== undefined && !/^(?:SK|AC)[A-Za-z0-9]{2,64}$/.test(v.key_sid)) {
      issue("key_sid", "API key SID starts with SK (or use the Account SID, AC…)");
    }
  },
  generic_api_key(v, issue) {
    if (v.header_name !== undefined && !HEADER_NAME_RE.test(v.header_name)) {
      issue("header_name", "Header name may contain only letters, digits and - _ . characters");
    }
    if (v.header_prefix !== undefined && !/^[\x21-\x7e]+$/.test(v.header_prefix)) {
      issue("header_prefix", "Header prefix must be a single word of printable characters");
    }
    if (v.validation_path !== undefined && !/^\/[^\s]*$/.test(v.validation_path)) {
      issue("validation_path", "Test path must start with / and contain no spaces");
    }
  },
};

/** Normalizations applied after validation (stored as returned). */
const providerNormalizers: Record<string, (v: Record<string, string>) => void> = {
  generic_api_key(v) {
    // The prefix is concatenated as is by the consumers (like `prefix: "Bot "`).
    if (v.header_prefix !== undefined) v.header_prefix = `${v.header_prefix} `;
  },
};

/**
 * Validates the setup form of `provider` for saving. Unknown keys and empty
 * optional fields are dropped; defaults fill empty optional fields. Errors are
 * keyed by field and never contain submitted values.
 */
export function validateSetupInput(
  provider: Provider,
  attrs: Record<string, string>,
): { ok: true; values: Record<string, string> } | { ok: false; errors: Record<string, string> } {
  const input: Values = {};
  const shape: Record<string, ReturnType<typeof fieldSchema>> = {};
  for (const f of provider.setupFields) {
    shape[f.key] = fieldSchema(f);
    const raw: unknown = Object.hasOwn(attrs, f.key) ? attrs[f.key] : undefined;
    if (typeof raw !== "string") continue;
    const value = UNTRIMMED.has(f.key) ? raw : raw.trim();
    if (value.trim() !== "") input[f.key] = value;
  }

  const errors: Record<string, string> = {};
  const parsed = z.object(shape).safeParse(input, { reportInput: false });
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const key = typeof i.path[0] === "string" ? i.path[0] : "_form";
      errors[key] ??= i.message;
    }
  }
  // Cross-field rules run on the same normalized input even when a field
  // failed, so the form shows every problem at once.
  providerRules[provider.key]?.(input, (key, message) => {
    errors[key] ??= message;
  });
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };

  const values: Record<string, string> = {};
  for (const f of provider.setupFields) {
    const v = (parsed.data as Values)[f.key];
    if (v !== undefined) values[f.key] = v;
    else if (f.default !== undefined) values[f.key] = f.default;
  }
  providerNormalizers[provider.key]?.(values);
  return { ok: true, values };
}
