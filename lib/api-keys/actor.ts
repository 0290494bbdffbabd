import type { TActor } from "@/lib/audit/types";
import type { TApiPrincipal } from "./types";

/** How a key appears in the audit log: its name and visible prefix. */
export function apiKeyLabel(key: { name: string; prefix: string }): string {
  return `${key.name} (${key.prefix}…)`;
}

export function apiKeyActor(principal: TApiPrincipal): TActor {
  return { type: "api_key", id: principal.keyId, label: apiKeyLabel(principal) };
}
