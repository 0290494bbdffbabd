import "server-only";
import { env } from "@/lib/env";

// One structured log line per event. Callers pass names, ids and counts —
// never credential values; `redact` is the last line of defence for keys
// that look secret.

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;
type Level = Exclude<keyof typeof LEVELS, "silent">;
const SECRET_KEY = /secret|password|token|api_?key|private|authorization|cookie|credential|value/i;

/** Replaces the value of every secret-looking key, at any depth (arrays and nested objects included). */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, SECRET_KEY.test(k) ? "<redacted>" : walk(inner)]));
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
