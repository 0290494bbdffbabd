import "server-only";

import type { SetupField } from "../types";

// Small builders for the setup fields that recur across providers, so every
// provider spells `client_id`, `api_key`… the same way (and secrets are never
// forgotten).

export function clientIdField(help?: string): SetupField {
  return { key: "client_id", label: "Client ID", type: "text", required: true, secret: false, help };
}

export function clientSecretField(help?: string): SetupField {
  return { key: "client_secret", label: "Client secret", type: "password", required: true, secret: true, help };
}

export function apiKeyField(opts: { label?: string; placeholder?: string; help?: string } = {}): SetupField {
  return {
    key: "api_key",
    label: opts.label ?? "API key",
    type: "password",
    required: true,
    secret: true,
    placeholder: opts.placeholder,
    help: opts.help,
  };
}

export function botTokenField(help?: string): SetupField {
  return { key: "bot_token", label: "Bot token", type: "password", required: true, secret: true, help };
}

export function accessKeyFields(): SetupField[] {
  return [
    {
      key: "access_key_id",
      label: "Access key ID",
      type: "text",
      required: true,
      secret: false,
      placeholder: "AKIA…",
    },
    {
      key: "secret_access_key",
      label: "Secret access key",
      type: "password",
      required: true,
      secret: true,
    },
  ];
}
