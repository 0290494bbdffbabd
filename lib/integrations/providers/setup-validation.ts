import "server-only";
import { TELEGRAM_TOKEN_MESSAGE, TELEGRAM_TOKEN_PATTERN } from "./built-in/messaging";

import { z } from "zod";

import { parseAllowedHosts } from "@/lib/integrations/allowed-hosts";
import { isStorableText, UNSTORABLE_TEXT } from "@/lib/validation/text";
import type { Provider, SetupField } from "./types";

// Validation of a provider's setup form on save: per-field rules from the
// registry's field descriptors, then each provider's cross-field rules.

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
    .max(f.type === "textarea" || f.format === "pem" ? 16_384 : 4_096, `${label} is too long`)
    .refine(isStorableText, `${label} ${UNSTORABLE_TEXT}`);
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
    case "host_list":
      s = s.refine((v) => parseAllowedHosts(v) !== null, `${label}: enter host names such as api.example.com or *.example.com, separated by spaces`);
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
  telegram(v, issue) {
    if (v.bot_token !== undefined && !new RegExp(TELEGRAM_TOKEN_PATTERN).test(v.bot_token)) issue("bot_token", TELEGRAM_TOKEN_MESSAGE);
  },
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
  generic_oauth2(v, issue) {
    if (v.issuer_url !== undefined) return;
    if (v.authorize_url === undefined) issue("authorize_url", "Enter the authorization URL, or an issuer URL");
    if (v.token_url === undefined) issue("token_url", "Enter the token URL, or an issuer URL");
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
