// Telemetry (metering rows and log lines) keeps a call's parameters only as
// far as they are safe to keep:
// - only the parameters the tool declares: anything else a caller adds is
//   dropped and only counted (`_undeclared`), since nobody has decided
//   whether it is sensitive;
// - a parameter the tool declares sensitive is the literal "<redacted>",
//   whatever it holds (a JSON object of setup fields included, at any depth);
// - any other declared parameter is kept only as a plain value (string cut
//   to 256 characters, number, boolean, null); an object or array where a
//   plain value belongs is stored as "<object>" / "<array>", never its content.

export const REDACTED = "<redacted>";
export const UNDECLARED_COUNT = "_undeclared";
const MAX_STRING = 256;

export type TParamPolicy = { declared: readonly string[]; sensitive: readonly string[] };

function plain(value: unknown): unknown {
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  return Array.isArray(value) ? "<array>" : `<${typeof value}>`;
}

/** What telemetry may store of `params` under the tool's `policy`. */
export function redactParams(params: unknown, policy: TParamPolicy): Record<string, unknown> {
  if (params === null || typeof params !== "object" || Array.isArray(params)) return {};
  const out: Record<string, unknown> = {};
  let undeclared = 0;
  for (const [k, v] of Object.entries(params)) {
    if (!policy.declared.includes(k)) undeclared += 1;
    else out[k] = policy.sensitive.includes(k) ? REDACTED : plain(v);
  }
  if (undeclared > 0) out[UNDECLARED_COUNT] = undeclared;
  return out;
}

/** `/api/ai/{key}/mcp` with its key segment replaced: the form every log line and metering row uses. */
export const AI_MCP_ROUTE = `/api/ai/${REDACTED}/mcp`;
