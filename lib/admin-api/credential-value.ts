import type { Provider } from "@/lib/integrations/providers/types";

// PUT's `value` → the provider's setup fields. A provider whose only required
// field is one secret (an API key, a bot token) takes the value as that
// secret; every other provider takes a JSON object of setup fields (given as
// an object, or as a string holding one: MCP and Power Automate pass strings).

export type TCredentialAttrs = { ok: true; attrs: Record<string, string> } | { ok: false; message: string };

function singleSecretField(provider: Provider): string | null {
  const required = provider.setupFields.filter((f) => f.required);
  return required.length === 1 && required[0]!.secret ? required[0]!.key : null;
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  if (!text.trimStart().startsWith("{")) return null;
  try {
    return asObject(JSON.parse(text));
  } catch {
    return null;
  }
}

function fieldsOf(provider: Provider, object: Record<string, unknown>): TCredentialAttrs {
  const known = new Set(provider.setupFields.map((f) => f.key));
  // Counted, never named: a caller's field name is input, and input is not echoed.
  const unknown = Object.keys(object).filter((k) => !known.has(k)).length;
  if (unknown > 0) {
    return { ok: false, message: `${unknown} unknown field${unknown > 1 ? "s" : ""} for ${provider.name}. Fields: ${[...known].join(", ")}.` };
  }
  const wrong = Object.entries(object).filter(([, v]) => typeof v !== "string").map(([k]) => k);
  if (wrong.length > 0) return { ok: false, message: `Field(s) ${wrong.join(", ")} must be strings.` };
  return { ok: true, attrs: object as Record<string, string> };
}

export function credentialAttrs(provider: Provider, value: string | Record<string, unknown>): TCredentialAttrs {
  if (typeof value !== "string") return fieldsOf(provider, value);
  const single = singleSecretField(provider);
  const object = parseJsonObject(value);
  // For a single-secret provider, a JSON object is read as fields only when it names nothing but its fields.
  const onlyKnownKeys = object !== null && Object.keys(object).every((k) => provider.setupFields.some((f) => f.key === k));
  if (object && (!single || onlyKnownKeys)) return fieldsOf(provider, object);
  if (single) return { ok: true, attrs: { [single]: value } };
  const fields = provider.setupFields.map((f) => `${f.key}${f.required ? " (required)" : ""}`).join(", ");
  return { ok: false, message: `${provider.name} takes a JSON object of setup fields as value: ${fields}.` };
}
