// The storage key `integration:{provider}:{name}` is built here and nowhere
// else. Only row birth (addConnection) and rename write a key; lookups use it
// to find a row. Everything else addresses rows by uuid.

const PREFIX = "integration";
const PROVIDER_PATTERN = /^[a-z0-9_]{1,64}$/;

/** "google" → "integration:google:default"; "google:personal" → "integration:google:personal". */
export function settingsKey(providerOrRef: string, name?: string): string {
  const [provider, refName] = providerOrRef.split(":", 2) as [string, string | undefined];
  return `${PREFIX}:${provider}:${name ?? refName ?? "default"}`;
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
