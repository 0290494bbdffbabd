import { isStorableText, UNSTORABLE_TEXT } from "@/lib/validation/text";
import { z } from "zod";
import { UUID_PATTERN } from "@/lib/integrations/connection-ref";

// Client-safe: the create form validates with the same schema the action uses.

export const API_KEY_SCOPES = ["admin", "user", "consumer"] as const;
export type TApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_SCOPE_LABELS: Record<TApiKeyScope, string> = {
  admin: "Admin — configure integrations: every endpoint and tool (REST, MCP, Power Automate)",
  user: "User — read-only tools: connections, providers and their status, never credentials",
  consumer: "Consumer — read-only tools for the connections you pick, nothing else",
};

/** Days until expiry, or "never". */
export const API_KEY_EXPIRY_CHOICES = ["never", "7", "30", "90", "365"] as const;

export const ZCreateApiKeyInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Enter a name that says who uses the key")
      .max(64, "Use at most 64 characters")
      .regex(/^[^\p{Cc}\p{Cf}]+$/u, "Use printable characters only")
      .refine(isStorableText, `The name ${UNSTORABLE_TEXT}`),
    scope: z.enum(API_KEY_SCOPES, { error: "Choose a scope" }),
    expiresIn: z.enum(API_KEY_EXPIRY_CHOICES, { error: "Choose when the key expires" }),
    allowedConnections: z.array(z.string().regex(UUID_PATTERN, "Not a connection id")).max(200, "At most 200 connections").default([]),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "consumer" && v.allowedConnections.length === 0) {
      ctx.addIssue({ code: "custom", path: ["allowedConnections"], message: "Choose at least one connection this consumer may read" });
    }
  });
export type TCreateApiKeyInput = z.output<typeof ZCreateApiKeyInput>;

export const ZRevokeApiKeyInput = z.object({ id: z.string().regex(UUID_PATTERN, "Not a key id") });
