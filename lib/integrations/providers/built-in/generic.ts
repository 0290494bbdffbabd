import "server-only";

import type { Provider } from "../types";
import { clientIdField, clientSecretField } from "./fields";

// Providers for services without a built-in definition: the URLs and header
// layout are setup fields. `{+field}` inserts a whole URL (or path) as typed;
// the URL fields are checked on save (format "url", path starting with "/").

// The token, userinfo and revocation endpoints each receive the client secret
// or tokens, and a token obtained later (refresh, reconnect) would follow the
// same way: changing any of them drops the tokens and wants the secret again.
// The authorization URL only ever sees the browser, never a secret.
const OAUTH_ENDPOINT_SECRETS = ["client_secret", "access_token", "refresh_token", "id_token"];

export const genericProviders: Provider[] = [
  {
    key: "generic_oauth2",
    name: "Generic OAuth 2.0",
    description: "Any OAuth 2.0 / OpenID Connect provider, configured by its issuer URL (discovery) or its endpoint URLs.",
    icon: "oauth",
    authType: "oauth2",
    oauth: {
      authorizeUrl: "{+authorize_url}",
      tokenUrl: "{+token_url}",
      userinfoUrl: "{+userinfo_url}",
      revokeUrl: "{+revoke_url}",
      defaultScopes: [],
      scopesField: "scopes",
      pkce: true,
    },
    setupFields: [
      clientIdField(),
      clientSecretField(),
      {
        key: "issuer_url",
        label: "Issuer URL",
        type: "text",
        required: false,
        secret: false,
        format: "url",
        placeholder: "https://auth.example.com",
        destinationFor: OAUTH_ENDPOINT_SECRETS,
        help: "With an issuer, the endpoints are read from its /.well-known/openid-configuration (or oauth-authorization-server) and the URLs below can stay empty.",
      },
      {
        key: "authorize_url",
        label: "Authorization URL",
        type: "text",
        required: false,
        secret: false,
        format: "url",
        placeholder: "https://auth.example.com/oauth2/authorize",
      },
      {
        key: "token_url",
        label: "Token URL",
        type: "text",
        required: false,
        secret: false,
        format: "url",
        placeholder: "https://auth.example.com/oauth2/token",
        destinationFor: OAUTH_ENDPOINT_SECRETS,
      },
      {
        key: "userinfo_url",
        label: "Userinfo URL",
        type: "text",
        required: false,
        secret: false,
        format: "url",
        placeholder: "https://auth.example.com/oauth2/userinfo",
        destinationFor: OAUTH_ENDPOINT_SECRETS,
        help: "Used to test the connection and show the connected account. Its host may receive the access token.",
      },
      {
        key: "revoke_url",
        label: "Revocation URL",
        type: "text",
        required: false,
        secret: false,
        format: "url",
        placeholder: "https://auth.example.com/oauth2/revoke",
        destinationFor: OAUTH_ENDPOINT_SECRETS,
        help: "Disconnect revokes the token here when set.",
      },
      {
        key: "scopes",
        label: "Scopes",
        type: "text",
        required: false,
        secret: false,
        placeholder: "openid email profile offline_access",
        help: "Space-separated.",
      },
    ],
    capabilities: ["identity"],
    validate: { kind: "oauth_userinfo" },
    docsUrl: "https://www.rfc-editor.org/rfc/rfc6749#section-4.1",
    instructions: [
      "Register an OAuth client (web application, confidential) with the provider.",
      "Add the redirect URI shown below to the client's allowed redirect URIs.",
      "Copy the client ID and secret. Enter the provider's issuer URL (discovery), or its authorization, token and userinfo URLs.",
      "List the API hosts the access token is meant for under Allowed hosts: the token is sent nowhere else.",
    ],
    enabled: true,
  },
  {
    key: "generic_api_key",
    name: "Generic API key",
    description: "Any HTTP API authenticated by a key in a request header.",
    icon: "apikey",
    authType: "api_key",
    setupFields: [
      {
        key: "base_url",
        label: "Base URL",
        type: "text",
        required: true,
        secret: false,
        format: "url",
        placeholder: "https://api.example.com",
        destinationFor: ["api_key"],
      },
      { key: "api_key", label: "API key", type: "password", required: true, secret: true },
      {
        key: "header_name",
        label: "Header name",
        type: "text",
        required: false,
        secret: false,
        placeholder: "Authorization",
        default: "Authorization",
      },
      {
        key: "header_prefix",
        label: "Header prefix",
        type: "text",
        required: false,
        secret: false,
        placeholder: "Bearer",
        help: "Text before the key, e.g. Bearer (a space is added). Leave empty to send the key alone.",
      },
      {
        key: "validation_path",
        label: "Key check path",
        type: "text",
        required: false,
        secret: false,
        placeholder: "/v1/me",
        help: "A GET path under the base URL that answers 2xx for a valid key.",
      },
    ],
    capabilities: ["developer"],
    validate: {
      kind: "http",
      method: "GET",
      url: "{+base_url}{+validation_path}",
      auth: {
        type: "header",
        header: "Authorization",
        field: "api_key",
        headerField: "header_name",
        prefixField: "header_prefix",
      },
    },
    apiBaseUrl: "{+base_url}",
    docsUrl: "https://swagger.io/docs/specification/v3_0/authentication/api-keys/",
    instructions: [
      "Create an API key in the service's dashboard.",
      "Enter the API's base URL and how the key is sent (header name and prefix) from its documentation.",
      "Give a cheap GET path (e.g. /v1/me) for Test Connection; without one it requests the base URL itself.",
    ],
    enabled: true,
  },
];
