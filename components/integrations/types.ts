import type { TProviderIcon } from "@/lib/integrations/providers/icons";
import type { AuthType, Capability, SetupField } from "@/lib/integrations/providers/types";

/** What the browser gets about a provider: display data only. */
export type TProviderSummary = {
  key: string;
  name: string;
  description: string;
  icon: TProviderIcon;
  authType: AuthType;
  capabilities: Capability[];
  enabled: boolean;
  usedBy: string[];
  connectionCount: number;
};

export type TProviderForm = TProviderSummary & {
  setupFields: SetupField[];
  instructions: string[];
  docsUrl: string | null;
};

export const AUTH_TYPE_LABELS: Record<AuthType, string> = {
  oauth2: "OAuth 2.0",
  api_key: "API key",
  key_secret: "Key + secret",
  bot_token: "Bot token",
  credentials: "Credentials",
};
