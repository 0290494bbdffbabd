import "server-only";
import { env } from "@/lib/env";
import { secretFieldKeys } from "@/lib/integrations/providers/registry";
import { PROTOCOL_SECRET_FIELDS } from "@/lib/integrations/providers/token-fields";

// One structured log line per event. Callers pass names, ids and counts —
// never credential values; `redact` is the last line of defence. The names it
// hides come from the provider registry (every secret setup field, built-in or
// contributed by a module, so `connection_string` or `passphrase` can never
// slip through a word list) plus the protocol's secrets (tokens, the OAuth
// `code`, headers). Log an error code as `errorCode`, not `code`.

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;
type Level = Exclude<keyof typeof LEVELS, "silent">;
/** Names that look secret even when no provider declares them. */
const SECRET_LOOKING = /secret|password|passphrase|token|api_?key|private|authorization|cookie|credential|connection_?string|value/i;
/** `scheme://user:password@` inside any string value. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]*@/gi;
const REDACTED = "<redacted>";

/** `api_key`, `apiKey` and `API-Key` are one name. */
const normalize = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, "");

let names: { from: ReadonlySet<string>; set: Set<string> } | undefined;

function redactedNames(): Set<string> {
  const fields = secretFieldKeys(); // a new Set whenever a module registers
  if (names?.from !== fields) {
    names = { from: fields, set: new Set([...fields, ...PROTOCOL_SECRET_FIELDS].map(normalize)) };
  }
  return names.set;
}

export function isSecretName(key: string): boolean {
  return redactedNames().has(normalize(key)) || SECRET_LOOKING.test(key);
}

/**
 * Replaces the value of every secret name at any depth (arrays and nested
 * objects included) and the password of any URL written into a string.
 */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return v.replace(URL_USERINFO, `$1:${REDACTED}@`);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, isSecretName(k) ? REDACTED : walk(inner)]));
    }
    return v;
  };
  return walk(fields) as Record<string, unknown>;
}

function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (LEVELS[level] < LEVELS[env().SWITCHBOARD_LOG_LEVEL]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...redact(fields) });
  (level === "error" || level === "warn" ? console.error : console.log)(line);
}

export const logger = {
  debug: (m: string, f?: Record<string, unknown>) => log("debug", m, f),
  info: (m: string, f?: Record<string, unknown>) => log("info", m, f),
  warn: (m: string, f?: Record<string, unknown>) => log("warn", m, f),
  error: (m: string, f?: Record<string, unknown>) => log("error", m, f),
};
