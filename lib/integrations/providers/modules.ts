import "server-only";

import type { ProviderModule } from "./types";

// The application's own feature modules that consume integrations. They are
// registered with the registry on first use (see registry.ts), exactly like a
// third-party module calling `registerProviderModule`, so the catalog can
// show which modules use each provider.

export const BUILT_IN_MODULES: readonly ProviderModule[] = [
  { name: "AI Assistant", uses: ["openai", "anthropic", "openrouter", "mistral"] },
  { name: "Mailer", uses: ["smtp", "sendgrid", "brevo", "aws_ses"] },
];
