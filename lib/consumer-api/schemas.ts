import { z } from "zod";
import { AUTH_TYPES } from "@/lib/integrations/providers/types";
import { CONNECTION_STATUSES } from "@/lib/integrations/connection-value";

// The consumer API's inputs and outputs (/api/v1): the handlers parse with
// these and the OpenAPI document is generated from them.

const ZIso = z.string().describe("ISO 8601 timestamp");

export const ZConnectionUuidParam = z.string().describe("The connection's uuid (shown on its page). Only connections on the key's allow-list answer.");

export const ZConsumerConnection = z.object({
  uuid: z.uuid(),
  provider: z.string().describe("Provider key, e.g. `openai`"),
  name: z.string().describe("The connection's name within its provider, e.g. `default`"),
  displayName: z.string().optional().describe("The provider's display name, e.g. `OpenAI`"),
  authType: z.enum(AUTH_TYPES),
  status: z.enum(CONNECTION_STATUSES),
  lastValidatedAt: ZIso.nullable(),
  validationStatus: z.string().nullable().describe("The last test's or refresh's message"),
  connectedAt: ZIso.nullable(),
  expiresAt: ZIso.nullable().describe("When the OAuth access token expires"),
});

export const ZConsumerCredentials = z.object({
  uuid: z.uuid(),
  provider: z.string(),
  authType: z.enum(AUTH_TYPES),
  credentials: z
    .record(z.string(), z.string())
    .describe(
      "Setup fields and secrets by field key. OAuth connections give `access_token` (refreshed first when it expires within the refresh skew), never the refresh token or the client secret.",
    ),
  expiresAt: ZIso.nullable().describe("When the OAuth access token expires (null: unknown, or not OAuth)"),
});

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const ZProxyBody = z
  .object({
    method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
    path: z
      .string()
      .min(1)
      .max(8192)
      .describe(
        "Either a path starting with `/`, appended to the provider's API base URL (e.g. `/models` on `https://api.openai.com/v1`), " +
          "or an absolute URL on one of the connection's hosts (its provider's API hosts and its Allowed hosts).",
      ),
    query: z.record(z.string().max(256), z.union([z.string().max(8192), z.array(z.string().max(8192)).max(100)])).optional(),
    headers: z
      .record(z.string().regex(HEADER_NAME).max(128), z.string().max(8192))
      .optional()
      .describe("Sent upstream; Authorization, Cookie, Proxy-Authorization and Host are dropped (the connection's auth is added)."),
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
      .optional()
      .describe("A string is sent as is; an object or array as JSON (content-type application/json unless given)."),
  })
  .strict();
export type TProxyBody = z.infer<typeof ZProxyBody>;
