import "server-only";

import { z } from "zod";

import {
  AUTH_TYPES,
  CAPABILITIES,
  FIELD_TYPES,
  type Provider,
  type ValidationDescriptor,
} from "./types";
import { TOKEN_FIELDS } from "./token-fields";
import { isUrlTemplate, providerUrlTemplates, templatePlaceholders } from "./url-template";

// The zod schema every provider passes, built-in or contributed by a module:
// field shapes plus the cross-references (placeholders, auth fields, oauth
// fields) a definition must get right before it reaches the catalog.

const KEY_RE = /^[a-z0-9_]+$/;

const ZSetupField = z.object({
  key: z.string().regex(KEY_RE, "field keys match ^[a-z0-9_]+$").max(64),
  label: z.string().min(1),
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
  placeholder: z.string().optional(),
  help: z.string().optional(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  secret: z.boolean(),
  format: z.enum(["url", "pem", "email", "hostname", "host_list"]).optional(),
  default: z.string().optional(),
  destinationFor: z.array(z.string().regex(KEY_RE)).min(1).optional(),
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
  z.object({ type: z.literal("path"), field: z.string(), pattern: z.string(), patternMessage: z.string() }),
]);

const ZValidationDescriptor = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("http"),
    method: z.enum(["GET", "POST"]),
    url: z.string().min(1),
    auth: ZHttpAuth,
    headers: z.record(z.string(), z.string()).optional(),
    checks: z
      .array(z.object({ path: z.string().min(1), equals: z.union([z.string(), z.number(), z.boolean()]), message: z.string().min(1) }))
      .optional(),
    accountPath: z.string().min(1).optional(),
    facts: z.record(z.string().min(1), z.string().min(1)).optional(),
    errorPath: z.string().min(1).optional(),
  }),
  z.object({ kind: z.literal("aws_ses") }),
  z.object({ kind: z.literal("s3") }),
  z.object({ kind: z.literal("oauth_userinfo") }),
  z.object({ kind: z.literal("smtp") }),
  z.object({ kind: z.literal("postgresql") }),
  z.object({ kind: z.literal("sftp") }),
  z.object({ kind: z.literal("none") }),
]);

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
    const secretFields = new Set(p.setupFields.filter((f) => f.secret).map((f) => f.key));
    p.setupFields.forEach((f, i) => {
      for (const k of f.destinationFor ?? []) {
        if (!secretFields.has(k) && !(TOKEN_FIELDS as readonly string[]).includes(k))
          issue(["setupFields", i, "destinationFor"], `"${k}" is neither a secret setup field nor an obtained token`);
      }
    });
    for (const k of validationFieldRefs(p.validate)) {
      if (!fieldKeys.has(k)) issue(["validate", "auth"], `unknown setup field "${k}"`);
    }
  });

// Compile-time guarantee that the schema and the TypeScript contract agree.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const _schemaMatchesContract: Equals<z.output<typeof ZProvider>, Provider> = true;
void _schemaMatchesContract;

export const ZProviderModule = z.object({
  name: z.string().trim().min(1, "module name is required").max(100),
  providers: z.array(z.unknown()).optional(),
  uses: z.array(z.string().regex(KEY_RE, "provider keys match ^[a-z0-9_]+$")).optional(),
});

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(provider)"}: ${i.message}`).join("; ");
}
