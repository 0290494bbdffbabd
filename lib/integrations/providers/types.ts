// The provider contract. Providers are code, not data: the registry is built
// from built-in definitions plus whatever modules contribute.

export const AUTH_TYPES = ["oauth2", "api_key", "key_secret", "bot_token", "credentials"] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export const CAPABILITIES = [
  "ai",
  "email",
  "storage",
  "messaging",
  "payments",
  "crm",
  "database",
  "files",
  "identity",
  "developer",
  "voice",
  "calendar",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const FIELD_TYPES = ["text", "password", "textarea", "number", "select"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export type SetupField = {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  placeholder?: string;
  help?: string;
  options?: { value: string; label: string }[];
  /** Secret fields are encrypted at rest and never sent to the browser. */
  secret: boolean;
  /** Extra server-side check on save, e.g. "pem" for SSH private keys. */
  format?: "url" | "pem" | "email" | "hostname" | "host_list";
  /** Value stored when an optional field is left empty (applied on save). */
  default?: string;
  /**
   * This field decides where (or how openly) these stored secrets are sent: a
   * base URL, a host, a token URL, a TLS mode. Setup keys of secret fields or
   * obtained tokens (TOKEN_FIELDS). When the field changes, saveSetup refuses
   * to keep such a secret without its being typed again (`secret_required`),
   * and drops such tokens, so nobody who cannot read a secret can send it to a
   * server of their choosing.
   */
  destinationFor?: string[];
};

export type OAuthConfig = {
  authorizeUrl: string;
  tokenUrl: string;
  userinfoUrl?: string;
  revokeUrl?: string;
  defaultScopes: string[];
  /** Extra query parameters for the authorize request (e.g. access_type=offline). */
  extraAuthParams?: Record<string, string>;
  pkce: boolean;
  /** Placeholders like `{tenant}` in URLs are filled from setup fields. */
  /** Separator for the `scope` parameter; " " unless set (Slack uses ","). */
  scopeSeparator?: string;
  /** Setup field whose (space-separated) value replaces `defaultScopes` when set. */
  scopesField?: string;
};

/**
 * How to tell whether a set of credentials works.
 * URL templates: `{key}` is filled with the URL-encoded setup value; `{+key}`
 * (RFC 6570 reserved expansion) inserts a whole URL or path as is. Use
 * `fillTemplate` (url-template.ts).
 */
export type ValidationDescriptor =
  | {
      kind: "http";
      method: "GET" | "POST";
      url: string;
      /** How the credential is presented. */
      auth:
        | { type: "bearer"; field: string }
        | {
            type: "header";
            header: string;
            field: string;
            prefix?: string;
            /** Setup field holding the header name; `header` is the fallback. */
            headerField?: string;
            /** Setup field holding the prefix (stored with its trailing space); replaces `prefix` when it has a value. */
            prefixField?: string;
          }
        | { type: "basic"; usernameField: string; passwordField: string }
        | { type: "query"; param: string; field: string }
        | {
            type: "path";
            field: string;
            /** The value goes into the URL path unencoded, so it must match this (anchored) pattern first. */
            pattern: string;
            patternMessage: string;
          };
      /** Extra fixed headers (e.g. API version headers). */
      headers?: Record<string, string>;
      /**
       * Success = a 2xx status and every check holding on the JSON body
       * (e.g. Telegram's `ok: true`, an xAI key that is not blocked). A failed
       * check fails the test with its message.
       */
      checks?: { path: string; equals: string | number | boolean; message: string }[];
      /** JSON path giving an account label to show ("Connected as …"). */
      accountPath?: string;
      /** Facts shown after a successful test: label → JSON path (`.length` of an array counts it). */
      facts?: Record<string, string>;
      /** JSON path of the provider's own error text on a failed answer. */
      errorPath?: string;
    }
  /** AWS SESv2 GetAccount, SigV4-signed, on `apiBaseUrl` (email.{region}.amazonaws.com). */
  | { kind: "aws_ses" }
  /** S3 ListBuckets, SigV4-signed, on the `endpoint` field or `apiBaseUrl`. */
  | { kind: "s3" }
  | { kind: "oauth_userinfo" }
  | { kind: "smtp" }
  | { kind: "postgresql" }
  | { kind: "sftp" }
  | { kind: "none" };

export type Provider = {
  key: string;
  name: string;
  description: string;
  /** A simple-icons slug, or "generic" for the neutral fallback. */
  icon: string;
  authType: AuthType;
  oauth?: OAuthConfig;
  setupFields: SetupField[];
  capabilities: Capability[];
  validate: ValidationDescriptor;
  /** Base URL of the provider's API; overridable for tests (see README). */
  apiBaseUrl?: string;
  /** Docs link for the collapsible setup instructions. */
  docsUrl?: string;
  /** Short setup instructions shown on the form. */
  instructions?: string[];
  /** Platform-level switch; a disabled provider accepts no new connections. */
  enabled: boolean;
};

/** A module that contributes providers and/or declares which it uses. */
export type ProviderModule = {
  name: string;
  providers?: Provider[];
  uses?: string[];
};
