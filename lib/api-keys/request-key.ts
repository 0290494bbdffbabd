import { API_KEY_LIKE } from "./key-format";

// Where a caller may put its key: `Authorization: Bearer <key>`, `x-api-key:
// <key>`, or (MCP clients that cannot set headers) the path of
// /api/ai/{key}/mcp. Never the query string: URLs end up in proxy logs,
// browser history and Referer headers, so a key there is refused outright.

const QUERY_KEY_NAMES = /^(api[_-]?key|apikey|key|token|access[_-]?token|auth|authorization|bearer|x-api-key)$/i;

export type TPresentedKey =
  | { kind: "key"; key: string }
  | { kind: "missing" }
  | { kind: "in_query" }
  /** Two different keys in one request: which one would we trust? Neither. */
  | { kind: "conflict" };

export function presentedKey(req: Request, pathKey?: string): TPresentedKey {
  return presentedKeyOf({
    query: new URL(req.url).searchParams,
    authorization: req.headers.get("authorization"),
    xApiKey: req.headers.get("x-api-key"),
    pathKey,
  });
}

/** The same rules for servers that are not handed a web Request (the consumer data plane). */
export function presentedKeyOf(parts: { query: URLSearchParams; authorization: string | null; xApiKey: string | null; pathKey?: string }): TPresentedKey {
  for (const [name, value] of parts.query) {
    if (QUERY_KEY_NAMES.test(name) || API_KEY_LIKE.test(name) || API_KEY_LIKE.test(value)) return { kind: "in_query" };
  }
  const authorization = parts.authorization;
  const bearer = authorization === null ? null : (/^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1] ?? "");
  const header = parts.xApiKey?.trim() ?? null;
  const given = [bearer, header, parts.pathKey ?? null].filter((k): k is string => k !== null);
  if (given.length === 0) return { kind: "missing" };
  if (given.some((k) => k !== given[0])) return { kind: "conflict" };
  return { kind: "key", key: given[0]! };
}
