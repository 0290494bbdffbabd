// Secret names that are not setup fields: what a provider hands back (tokens,
// stored in the connection's sealed blob beside the typed secrets) and the
// protocol parameters that carry a secret on the wire (OAuth 2.0, HTTP auth).
// No "server-only": the list holds names, never values.

/** Secrets obtained from the provider rather than typed by an operator. */
export const TOKEN_FIELDS = ["access_token", "refresh_token", "id_token"] as const;

/** Parameters of OAuth 2.0 / OIDC requests and HTTP headers whose value is a secret. */
export const PROTOCOL_SECRET_FIELDS = [
  ...TOKEN_FIELDS,
  "code",
  "code_verifier",
  "client_secret",
  "client_assertion",
  "assertion",
  "device_code",
  "token",
  "secret",
  "password",
  "passphrase",
  "private_key",
  "api_key",
  "authorization",
  "proxy_authorization",
  "cookie",
  "set_cookie",
] as const;
