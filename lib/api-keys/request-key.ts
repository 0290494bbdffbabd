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
  const url = new URL(req.url);
  for (const [name, value] of url.searchParams) {
    if (QUERY_KEY_NAMES.test(name) || API_KEY_LIKE.test(name) || API_KEY_LIKE.test(value)) return { kind: "in_query" };
  }
  const authorization = req.headers.get("authorization");
  const bearer = authorization === null ? null : (/^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1] ?? "");
  const header = req.headers.get("x-api-key")?.trim() ?? null;
  const given = [bearer, header, pathKey ?? null].filter((k): k is string => k !== null);
  if (given.length === 0) return { kind: "missing" };
  if (given.some((k) => k !== given[0])) return { kind: "conflict" };
  return { kind: "key", key: given[0]! };
}
