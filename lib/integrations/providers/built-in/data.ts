import "server-only";

import type { Provider } from "../types";
import { apiKeyField } from "./fields";

export const dataProviders: Provider[] = [
  {
    key: "postgresql",
    name: "PostgreSQL",
    description: "Connect to a PostgreSQL database with a connection string or host and credentials.",
    icon: "postgresql",
    authType: "credentials",
    setupFields: [
      {
        key: "connection_string",
        label: "Connection string",
        type: "password",
        required: false,
        secret: true,
        placeholder: "postgresql://user:password@host:5432/database?sslmode=require",
        help: "Takes precedence over the individual fields below. Stored encrypted, since it may contain a password.",
        // Its host is where the separately stored password may go.
        destinationFor: ["password"],
      },
      {
        key: "host",
        label: "Host",
        type: "text",
        required: false,
        secret: false,
        format: "hostname",
        placeholder: "db.example.com",
        destinationFor: ["password"],
      },
      { key: "port", label: "Port", type: "number", required: false, secret: false, placeholder: "5432" },
      { key: "database", label: "Database", type: "text", required: false, secret: false },
      { key: "user", label: "User", type: "text", required: false, secret: false },
      { key: "password", label: "Password", type: "password", required: false, secret: true },
      {
        key: "sslmode",
        label: "SSL mode",
        type: "select",
        required: false,
        secret: false,
        placeholder: "prefer",
        // "disable" would send the password exchange unencrypted.
        destinationFor: ["password"],
        options: [
          { value: "disable", label: "disable" },
          { value: "prefer", label: "prefer" },
          { value: "require", label: "require" },
          { value: "verify-full", label: "verify-full" },
        ],
      },
    ],
    capabilities: ["database"],
    validate: { kind: "postgresql" },
    docsUrl: "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING",
    instructions: [
      "Create a dedicated database role with only the privileges the integration needs.",
      "Paste a postgresql:// connection string, or fill in host, database and user.",
      "Use sslmode require or verify-full for databases reached over the internet.",
    ],
    enabled: true,
  },
  {
    key: "hubspot",
    name: "HubSpot",
    description: "Contacts, companies and deals in HubSpot CRM through a private app.",
    icon: "hubspot",
    authType: "api_key",
    setupFields: [apiKeyField({ label: "Private app access token", placeholder: "pat-…" })],
    capabilities: ["crm"],
    validate: {
      kind: "http",
      method: "GET",
      url: "https://api.hubapi.com/account-info/v3/details",
      auth: { type: "bearer", field: "api_key" },
      accountPath: "portalId",
      facts: { "Portal id": "portalId", "Account type": "accountType", "Time zone": "timeZone" },
      errorPath: "message",
    },
    apiBaseUrl: "https://api.hubapi.com",
    docsUrl: "https://developers.hubspot.com/docs/api/private-apps",
    instructions: [
      "In HubSpot open Settings → Integrations → Private Apps → Create a private app.",
      "On the Scopes tab select the CRM scopes you need.",
      "Create the app and copy its access token.",
    ],
    enabled: true,
  },
];
