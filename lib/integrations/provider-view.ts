import "server-only";
import type { TProviderForm, TProviderSummary } from "@/components/integrations/types";
import { providerIcon } from "@/lib/integrations/providers/icons";
import { usedByModules } from "@/lib/integrations/providers/registry";
import type { Provider } from "@/lib/integrations/providers/types";

// Maps registry providers to the shapes the browser receives: no URLs it does
// not need, nothing secret (providers hold none, but keep the payload lean).

export function toProviderSummary(p: Provider, connectionCount = 0): TProviderSummary {
  return {
    key: p.key,
    name: p.name,
    description: p.description,
    icon: providerIcon(p.icon),
    authType: p.authType,
    capabilities: p.capabilities,
    enabled: p.enabled,
    usedBy: usedByModules()[p.key] ?? [],
    connectionCount,
  };
}

export function toProviderForm(p: Provider): TProviderForm {
  return { ...toProviderSummary(p), setupFields: p.setupFields, instructions: p.instructions ?? [], docsUrl: p.docsUrl ?? null };
}
