import { z } from "zod";
import { AUTH_TYPES } from "@/lib/integrations/providers/types";

// The non-secret JSON state of a connection (settings.value). Secrets are
// never here; `secrets_set` names which secret fields hold a value so the UI
// can show "•••• set" without decrypting anything.

export const CONNECTION_STATUSES = ["disconnected", "configured", "connected", "error"] as const;
export type TConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export const ZConnectionValue = z.object({
  provider: z.string(),
  name: z.string(),
  auth_type: z.enum(AUTH_TYPES),
  status: z.enum(CONNECTION_STATUSES).catch("error"),
  validation_status: z.string().nullish(),
  last_validated_at: z.string().nullish(),
  connected_at: z.string().nullish(),
  expires_at: z.string().nullish(),
  /** When the access token was last renewed with the refresh token. */
  token_refreshed_at: z.string().nullish(),
  scopes: z.array(z.string()).optional(),
  external_account_id: z.string().nullish(),
  external_account_name: z.string().nullish(),
  external_account_email: z.string().nullish(),
  setup: z.record(z.string(), z.string()).default({}),
  secrets_set: z.array(z.string()).default([]),
});
export type TConnectionValue = z.infer<typeof ZConnectionValue>;

/** What any caller (UI included) may see about a connection: never a secret. */
export type TConnection = {
  uuid: string;
  provider: string;
  name: string;
  authType: TConnectionValue["auth_type"];
  status: TConnectionStatus;
  validationStatus: string | null;
  lastValidatedAt: string | null;
  connectedAt: string | null;
  expiresAt: string | null;
  tokenRefreshedAt: string | null;
  scopes: string[];
  account: { id: string | null; name: string | null; email: string | null };
  setup: Record<string, string>;
  secretsSet: string[];
  /** The stored secrets cannot be decrypted (tampered, foreign or missing): they must be entered again. */
  secretsUnreadable: boolean;
  createdAt: string;
  updatedAt: string;
};
