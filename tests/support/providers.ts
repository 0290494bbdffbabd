import { afterEach, beforeEach } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { clearProviderCache, getProvider } from "@/lib/integrations/providers/registry";
import type { Provider } from "@/lib/integrations/providers/types";

// Shared by the registry's unit tests: the platform switches are read from
// the environment, so each test starts from none and restores what it found.

const ENV_KEYS = ["SWITCHBOARD_DISABLED_PROVIDERS", "SWITCHBOARD_PROVIDER_BASE_URLS"] as const;
type TProviderEnv = Partial<Record<(typeof ENV_KEYS)[number], string>>;

function applyEnv(vars: TProviderEnv): void {
  for (const k of ENV_KEYS) {
    if (vars[k] === undefined) delete process.env[k];
    else process.env[k] = vars[k];
  }
  resetEnvCache();
  clearProviderCache();
}

/** Registers the hooks; returns a setter for the provider switches. */
export function withProviderEnv(): (vars: TProviderEnv) => void {
  const saved: TProviderEnv = {};
  beforeEach(() => {
    for (const k of ENV_KEYS) saved[k] = process.env[k];
    applyEnv({});
  });
  afterEach(() => applyEnv(saved));
  return applyEnv;
}

export function provider(key: string): Provider {
  const p = getProvider(key);
  if (!p) throw new Error(`missing provider ${key}`);
  return p;
}

export function minimalProvider(key: string, extra: Partial<Provider> = {}): Provider {
  return {
    key,
    name: `Test ${key}`,
    description: "A provider contributed by a test module.",
    icon: "generic",
    authType: "api_key",
    setupFields: [{ key: "api_key", label: "API key", type: "password", required: true, secret: true }],
    capabilities: ["developer"],
    validate: {
      kind: "http",
      method: "GET",
      url: "https://api.example.com/v1/me",
      auth: { type: "bearer", field: "api_key" },
    },
    enabled: true,
    ...extra,
  };
}
