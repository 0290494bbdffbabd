import { afterAll, beforeAll } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createApiKey } from "@/lib/api-keys/service/create-api-key";
import type { TCreateApiKeyInput } from "@/lib/api-keys/schemas";
import { db } from "@/lib/db";
import type { TServiceContext } from "@/lib/integrations/service";
import { unwrap } from "./results";
import { startKeyListUpstream, type TKeyListUpstream } from "./standins/key-list-upstream";
import { setEnv } from "./test-db";

// Helpers of the admin API's HTTP tests: keys, calls that keep every answer
// (the canary test reads them all back), the MCP SDK's own client, and a scan
// of every text column for a planted value.

export type TCall = { status: number; body: unknown; text: string; headers: Headers };

export function apiClient(baseUrl: string) {
  const answers: string[] = [];
  async function call(method: string, path: string, opts: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<TCall> {
    const headers: Record<string, string> = { ...(opts.key ? { Authorization: `Bearer ${opts.key}` } : {}), ...opts.headers };
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["Content-Type"] = "application/json";
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    answers.push(text);
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  }
  return { call, answers };
}

export async function newKey(ctx: TServiceContext, scope: TCreateApiKeyInput["scope"], extra: Partial<TCreateApiKeyInput> = {}) {
  return unwrap(await createApiKey(ctx, { name: `${scope} key`, scope, expiresIn: "never", allowedConnections: [], ...extra }));
}

/** `answers`: every HTTP response body the client receives is appended (a canary test reads them back). */
export async function mcpClient(url: string, key?: string, answers?: string[]): Promise<Client> {
  const client = new Client({ name: "switchboard-test", version: "1.0.0" });
  const recording: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    answers?.push(await res.clone().text());
    return res;
  };
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    ...(key ? { requestInit: { headers: { Authorization: `Bearer ${key}` } } } : {}),
    ...(answers ? { fetch: recording } : {}),
  });
  await client.connect(transport);
  return client;
}

/** The `{error:{code,message}}` of an MCP tool result with isError, or null. */
export function toolError(result: unknown): { code: string; message: string } | null {
  const r = result as { isError?: boolean; content?: { type: string; text: string }[] };
  if (!r.isError) return null;
  return (JSON.parse(r.content![0]!.text) as { error: { code: string; message: string } }).error;
}

/** Every `table.column` (text, varchar, json, jsonb, bytea) holding `needle`. */
export async function columnsContaining(needle: string): Promise<string[]> {
  const prisma = await db();
  const columns = await prisma.$queryRawUnsafe<{ table_name: string; column_name: string; udt_name: string }[]>(
    `SELECT table_name, column_name, udt_name FROM information_schema.columns
     WHERE table_schema = 'public' AND udt_name IN ('text', 'varchar', 'bpchar', 'json', 'jsonb', 'bytea') ORDER BY 1, 2`,
  );
  const hits: string[] = [];
  for (const c of columns) {
    const col = `"${c.table_name}"."${c.column_name}"`;
    const where = c.udt_name === "bytea" ? `position(convert_to($1, 'UTF8') in ${col}) > 0` : `strpos(${col}::text, $1) > 0`;
    const [row] = await prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${c.table_name}" WHERE ${where}`, needle);
    if ((row?.n ?? 0) > 0) hits.push(`${c.table_name}.${c.column_name}`);
  }
  return hits;
}

/**
 * PUT runs the provider's probe: this points every HTTP provider at one
 * key-list upstream (tests/support/standins/key-list-upstream.ts) for the
 * file, opens it in the outbound allow-list, and lifts the per-minute test
 * quota the probe counts against (a file sends more PUTs than a person).
 */
export function keyListUpstreamForFile(): { upstream: () => TKeyListUpstream } {
  let upstream: TKeyListUpstream | undefined;
  beforeAll(async () => {
    upstream = await startKeyListUpstream();
    setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", upstream.baseUrls);
    setEnv("SWITCHBOARD_OUTBOUND_ALLOW", `127.0.0.1:${upstream.port}`);
    setEnv("SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE", "10000");
  });
  afterAll(async () => {
    setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", undefined);
    setEnv("SWITCHBOARD_OUTBOUND_ALLOW", undefined);
    setEnv("SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE", undefined);
    await upstream?.close();
  });
  return { upstream: () => upstream! };
}
