import { CONNECTION_NAME_PATTERN } from "@/lib/integrations/connection-name";
import { isProviderKey } from "@/lib/integrations/settings-key";

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type TConnectionRef = { kind: "uuid"; uuid: string } | { kind: "provider_name"; provider: string; name: string };

/**
 * What consumers may pass to name a connection: a row uuid, "provider:name",
 * a bare "provider" (= provider:default) or a [provider, name] pair.
 * Returns null for anything malformed (the service answers `invalid`).
 */
export function parseConnectionRef(input: unknown, opts: { allowUuid: boolean }): TConnectionRef | null {
  let provider: string | undefined;
  let name: string | undefined;
  if (Array.isArray(input)) {
    if (input.length !== 2 || !input.every((s) => typeof s === "string")) return null;
    [provider, name] = input as [string, string];
  } else if (typeof input === "string") {
    const trimmed = input.trim();
    if (opts.allowUuid && UUID_PATTERN.test(trimmed)) return { kind: "uuid", uuid: trimmed.toLowerCase() };
    const parts = trimmed.split(":");
    if (parts.length > 2) return null;
    [provider, name = "default"] = parts as [string, string | undefined];
  } else {
    return null;
  }
  if (!provider || !name || !isProviderKey(provider) || !CONNECTION_NAME_PATTERN.test(name)) return null;
  return { kind: "provider_name", provider, name };
}
