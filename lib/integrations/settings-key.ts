// The storage key `integration:{provider}:{name}` is built here and nowhere
// else. Only row birth (addConnection) and rename write a key; lookups use it
// to find a row. Everything else addresses rows by uuid.

import { CONNECTION_NAME_PATTERN } from "./connection-name";

const PREFIX = "integration";
const PROVIDER_PATTERN = /^[a-z0-9_]{1,64}$/;

/**
 * "google" → "integration:google:default"; "google:personal" →
 * "integration:google:personal". Throws on a provider key or name that could
 * not be read back (callers validate user input before they get here).
 */
export function settingsKey(providerOrRef: string, name?: string): string {
  const parts = providerOrRef.split(":");
  const provider = parts[0] ?? "";
  const connectionName = name ?? parts[1] ?? "default";
  if (parts.length > 2 || (name !== undefined && parts.length > 1)) throw new Error("settingsKey: expected provider or provider:name");
  if (!PROVIDER_PATTERN.test(provider)) throw new Error("settingsKey: invalid provider key");
  if (!CONNECTION_NAME_PATTERN.test(connectionName)) throw new Error("settingsKey: invalid connection name");
  return `${PREFIX}:${provider}:${connectionName}`;
}

export function parseSettingsKey(key: string): { provider: string; name: string } | null {
  const parts = key.split(":");
  if (parts.length !== 3 || parts[0] !== PREFIX) return null;
  return { provider: parts[1]!, name: parts[2]! };
}

export function isProviderKey(s: string): boolean {
  return PROVIDER_PATTERN.test(s);
}

export function providerKeyPrefix(provider: string): string {
  return `${PREFIX}:${provider}:`;
}
