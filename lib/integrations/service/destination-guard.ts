import "server-only";
import type { Provider, SetupField } from "@/lib/integrations/providers/types";
import { TOKEN_FIELDS } from "@/lib/integrations/providers/token-fields";

// A stored secret must not follow a destination its reader never chose: an
// admin who cannot read a key could otherwise point `base_url` (or a host, a
// token URL, a TLS mode) at a server of their own and let the consumer send
// the key there. The registry marks such fields (`destinationFor`); when one
// changes, every secret it names that would be kept from storage must be
// typed again, and tokens it names are dropped (they are obtained, not typed).

type TState = { setup: Record<string, string>; secrets: Record<string, string> };

const isToken = (key: string) => (TOKEN_FIELDS as readonly string[]).includes(key);

/** Destination fields whose value differs between the stored state and the one about to be saved. */
export function changedDestinations(provider: Provider, before: TState, after: TState): SetupField[] {
  return provider.setupFields.filter((f) => {
    if (!f.destinationFor) return false;
    const from = f.secret ? before.secrets[f.key] : before.setup[f.key];
    const to = f.secret ? after.secrets[f.key] : after.setup[f.key];
    return (from ?? "") !== (to ?? "");
  });
}

/**
 * Secrets that would go to a changed destination without having been typed
 * in this save, each with a message for its field (names, never values).
 */
export function secretsToRetype(provider: Provider, changed: SetupField[], keptFromStorage: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const secret of provider.setupFields) {
    if (!secret.secret || !keptFromStorage.has(secret.key)) continue;
    const because = changed.filter((d) => d.destinationFor?.includes(secret.key)).map((d) => d.label);
    if (because.length > 0) out[secret.key] = `Type the ${inSentence(secret.label)} again: ${listOf(because)} changed where it is sent.`;
  }
  return out;
}

/** Obtained tokens a changed destination names: they must not travel to the new address. */
export function tokensToDrop(changed: SetupField[]): string[] {
  return [...new Set(changed.flatMap((d) => (d.destinationFor ?? []).filter(isToken)))];
}

export function secretRequiredMessage(provider: Provider, secrets: string[], changed: SetupField[]): string {
  const label = (k: string) => inSentence(provider.setupFields.find((f) => f.key === k)?.label ?? k);
  const relevant = changed.filter((d) => secrets.some((s) => d.destinationFor?.includes(s)));
  const what = secrets.length === 1 ? `the stored ${label(secrets[0]!)}` : `the stored ${listOf(secrets.map(label))}`;
  return `Changing ${listOf(relevant.map((d) => d.label))} changes where ${what} ${secrets.length === 1 ? "is" : "are"} sent. Type ${secrets.length === 1 ? "it" : "them"} again to confirm.`;
}

/** "Password" → "password", "API key" stays. */
function inSentence(label: string): string {
  return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
