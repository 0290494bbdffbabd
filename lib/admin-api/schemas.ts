import { z } from "zod";
import { CAPABILITIES } from "@/lib/integrations/providers/types";

// The admin API's inputs and outputs: the handlers parse with these, the MCP
// tools list them as input schemas and /api/openapi.json is generated from
// them, so the documentation cannot drift from what is enforced.

export const MAX_VALUE_LENGTH = 8192;

export const ZIntegrationKeyParam = z
  .string()
  .min(1)
  .max(255)
  .describe("Catalog key: `provider` (its default connection) or `provider:name`, e.g. `openai` or `openai:billing`. 1–255 characters.");

export const ZCredentialValue = z
  .union([
    z.string().min(1).max(MAX_VALUE_LENGTH),
    z.record(z.string().max(64), z.string()).describe("Setup fields of a multi-field provider by key."),
  ])
  .refine((v) => typeof v === "string" || JSON.stringify(v).length <= MAX_VALUE_LENGTH, `value is at most ${MAX_VALUE_LENGTH} characters`)
  .describe(
    "The credential. A provider whose only required field is a secret (an API key, a bot token) takes it as a string; " +
      "other providers take a JSON object of setup fields (or a string holding one). 1–8192 characters. Never echoed, redacted from telemetry.",
  );

export const ZSetCredentialsBody = z.object({ value: ZCredentialValue });

export const ZListIntegrationsInput = z.object({});
export const ZSetIntegrationCredentialsInput = z.object({ integration_key: ZIntegrationKeyParam, value: ZCredentialValue });
export const ZRemoveIntegrationCredentialsInput = z.object({ integration_key: ZIntegrationKeyParam });

export const ZListProvidersInput = z.object({ capability: z.enum(CAPABILITIES).optional().describe("Only providers with this capability.") });
export const ZListConnectionsInput = z.object({ provider: z.string().max(64).optional().describe("Only this provider's connections.") });
export const ZConnectionStatusInput = z.object({
  connection: z.string().min(1).max(200).describe("A connection uuid, `provider:name`, or a bare `provider` (its default connection)."),
});

const ZIso = z.string().describe("ISO 8601 timestamp");

export const ZIntegration = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  isConfigured: z.boolean(),
  hasCredentials: z.boolean().describe("Alias of isConfigured."),
  configuredAt: ZIso.nullable(),
  updatedAt: ZIso.nullable(),
  configuredByEmail: z.string().nullable(),
});
export const ZListIntegrationsOutput = z.object({ integrations: z.array(ZIntegration) });
export const ZSetCredentialsOutput = z.object({ key: z.string(), isConfigured: z.literal(true), hasCredentials: z.literal(true), updatedAt: ZIso });
export const ZRemoveCredentialsOutput = z.object({ key: z.string(), isConfigured: z.literal(false) });

export const ZProviderSummary = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  authType: z.string(),
  capabilities: z.array(z.string()),
  enabled: z.boolean(),
  setupFields: z.array(z.object({ key: z.string(), label: z.string(), required: z.boolean(), secret: z.boolean() })),
});
export const ZListProvidersOutput = z.object({ providers: z.array(ZProviderSummary) });

export const ZConnectionSummary = z.object({
  uuid: z.string(),
  provider: z.string(),
  name: z.string(),
  status: z.enum(["disconnected", "configured", "connected", "error"]),
  validationStatus: z.string().nullable().describe("The last test's message."),
  lastValidatedAt: ZIso.nullable(),
  updatedAt: ZIso,
});
export const ZListConnectionsOutput = z.object({ connections: z.array(ZConnectionSummary) });
export const ZConnectionStatusOutput = ZConnectionSummary.extend({
  authType: z.string(),
  connectedAt: ZIso.nullable(),
  expiresAt: ZIso.nullable(),
  account: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
});

export const ZErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
