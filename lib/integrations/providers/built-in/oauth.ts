import "server-only";

import type { Provider, SetupField } from "../types";
import { clientIdField, clientSecretField } from "./fields";

/** Optional scopes override; the provider's defaults apply when empty. */
function scopesField(defaults: string[], separator = " "): SetupField {
  return {
    key: "scopes",
    label: "Scopes",
    type: "text",
    required: false,
    secret: false,
    placeholder: defaults.join(separator),
    help: "Space-separated. Leave empty for the defaults shown. Changing them needs Connect account again.",
  };
}

export const oauthProviders: Provider[] = [
  {
    key: "google",
    name: "Google",
    description: "Sign in with Google and access Gmail, Calendar and Drive through Google APIs.",
    icon: "google",
    authType: "oauth2",
    oauth: {
      authorizeUrl: "https://accounts.google.com/o/oauth2/v2/auth",
      tokenUrl: "https://oauth2.googleapis.com/token",
      userinfoUrl: "https://openidconnect.googleapis.com/v1/userinfo",
      revokeUrl: "https://oauth2.googleapis.com/revoke",
      defaultScopes: ["openid", "email", "profile"],
      extraAuthParams: { access_type: "offline", prompt: "consent" },
      pkce: true,
      scopesField: "scopes",
    },
    setupFields: [
      clientIdField("Ends with .apps.googleusercontent.com"),
      clientSecretField(),
      scopesField(["openid", "email", "profile"]),
    ],
    capabilities: ["identity", "email", "calendar", "files"],
    validate: { kind: "oauth_userinfo" },
    apiBaseUrl: "https://www.googleapis.com",
    docsUrl: "https://developers.google.com/identity/protocols/oauth2/web-server",
    instructions: [
      "In the Google Cloud console open APIs & Services → Credentials (console.cloud.google.com/apis/credentials).",
      "Configure the OAuth consent screen if asked, then Create credentials → OAuth client ID → Web application.",
      "Add the redirect URI shown below under Authorized redirect URIs.",
      "Copy the client ID and client secret here.",
    ],
    enabled: true,
  },
  {
    key: "microsoft",
    name: "Microsoft",
    description: "Sign in with a Microsoft work, school or personal account and call Microsoft Graph.",
    icon: "microsoft",
    authType: "oauth2",
    oauth: {
      authorizeUrl: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
      tokenUrl: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
      userinfoUrl: "https://graph.microsoft.com/oidc/userinfo",
      defaultScopes: ["openid", "email", "profile", "offline_access", "User.Read"],
      pkce: true,
      scopesField: "scopes",
    },
    setupFields: [
      clientIdField("The Application (client) ID of the app registration."),
      clientSecretField("The secret's Value, not its Secret ID."),
      {
        key: "tenant",
        label: "Tenant",
        type: "text",
        required: false,
        secret: false,
        placeholder: "common",
        default: "common",
        help: "common, organizations, consumers, or your directory (tenant) ID or domain. It is part of the sign-in and token URLs.",
      },
      scopesField(["openid", "email", "profile", "offline_access", "User.Read"]),
    ],
    capabilities: ["identity", "email", "calendar", "files"],
    validate: { kind: "oauth_userinfo" },
    apiBaseUrl: "https://graph.microsoft.com",
    docsUrl: "https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow",
    instructions: [
      "In the Microsoft Entra admin center open App registrations → New registration (entra.microsoft.com).",
      "Choose the supported account types and add the redirect URI shown below as a Web platform URI.",
      "Under Certificates & secrets create a client secret and copy its Value.",
      "Copy the Application (client) ID from the Overview page.",
    ],
    enabled: true,
  },
  {
    key: "slack",
    name: "Slack",
    description: "Install a Slack app into a workspace to post messages and read channels.",
    icon: "slack",
    authType: "oauth2",
    oauth: {
      authorizeUrl: "https://slack.com/oauth/v2/authorize",
      tokenUrl: "https://slack.com/api/oauth.v2.access",
      // auth.test identifies the token's workspace and user (there is no
      // OIDC userinfo for bot tokens).
      userinfoUrl: "https://slack.com/api/auth.test",
      revokeUrl: "https://slack.com/api/auth.revoke",
      defaultScopes: ["chat:write", "channels:read", "users:read"],
      scopeSeparator: ",",
      scopesField: "scopes",
      pkce: false,
    },
    setupFields: [clientIdField(), clientSecretField(), scopesField(["chat:write", "channels:read", "users:read"], ",")],
    capabilities: ["messaging"],
    validate: { kind: "oauth_userinfo" },
    apiBaseUrl: "https://slack.com/api",
    docsUrl: "https://api.slack.com/authentication/oauth-v2",
    instructions: [
      "Create an app at api.slack.com/apps → Create New App → From scratch.",
      "Under OAuth & Permissions add the redirect URL shown below and the bot token scopes you need.",
      "Copy the Client ID and Client Secret from Basic Information → App Credentials.",
    ],
    enabled: true,
  },
  {
    key: "github",
    name: "GitHub",
    description: "Act on behalf of a GitHub user through an OAuth app.",
    icon: "github",
    authType: "oauth2",
    oauth: {
      authorizeUrl: "https://github.com/login/oauth/authorize",
      tokenUrl: "https://github.com/login/oauth/access_token",
      userinfoUrl: "https://api.github.com/user",
      defaultScopes: ["read:user", "user:email"],
      pkce: true,
      scopesField: "scopes",
    },
    setupFields: [clientIdField(), clientSecretField(), scopesField(["read:user", "user:email"])],
    capabilities: ["developer", "identity"],
    validate: { kind: "oauth_userinfo" },
    apiBaseUrl: "https://api.github.com",
    docsUrl: "https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps",
    instructions: [
      "Open GitHub → Settings → Developer settings → OAuth Apps → New OAuth App (github.com/settings/developers).",
      "Set the Authorization callback URL to the redirect URI shown below.",
      "Generate a new client secret and copy it with the Client ID.",
    ],
    enabled: true,
  },
];
