// Telemetry never stores a parameter a tool declares sensitive: its value is
// replaced by the literal "<redacted>" before anything is written or logged.
// Long strings are cut, so a metering row stays small whatever a caller sends.

export const REDACTED = "<redacted>";
const MAX_STRING = 256;
const MAX_KEYS = 20;

function trim(value: unknown, depth: number): unknown {
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (value === null || typeof value !== "object") return value;
  if (depth >= 3) return "…";
  if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((v) => trim(v, depth + 1));
  return Object.fromEntries(Object.entries(value).slice(0, MAX_KEYS).map(([k, v]) => [k, trim(v, depth + 1)]));
}

/** A copy of `params` with each `sensitive` key (whatever its value, an object included) redacted. */
export function redactParams(params: unknown, sensitive: readonly string[]): Record<string, unknown> {
  if (params === null || typeof params !== "object" || Array.isArray(params)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params).slice(0, MAX_KEYS)) out[k] = sensitive.includes(k) ? REDACTED : trim(v, 1);
  return out;
}

/** `/api/ai/{key}/mcp` with its key segment replaced: the form every log line and metering row uses. */
export const AI_MCP_ROUTE = `/api/ai/${REDACTED}/mcp`;
