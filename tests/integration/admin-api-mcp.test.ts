import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { db } from "@/lib/db";
import { addConnection, getCredentials, getIntegrationByUuid, type TServiceContext } from "@/lib/integrations/service";
import { apiClient, columnsContaining, mcpClient, newKey, toolError, keyListUpstreamForFile } from "../support/admin-api";
import { installLoopbackGuard } from "../support/loopback-guard";
import { auditRows, unwrap } from "../support/results";
import { startRouteServer, type TRouteServer } from "../support/route-server";
import { captureConsole, createFirstOrg, createOrg, setupTestDatabase, type ConsoleCapture, type TestDatabase } from "../support/test-db";

// MCP through the SDK's own client over Streamable HTTP, at /api/mcp (Bearer)
// and /api/ai/{key}/mcp (key in the path), against the route handlers on a
// local port and a real database.

const ADMIN_TOOLS = ["admin_list_integrations", "admin_set_integration_credentials", "admin_remove_integration_credentials"];
const READ_TOOLS = ["get_connection_status", "list_connections", "list_providers"];

let testDb: TestDatabase;
let server: TRouteServer;
let logs: ConsoleCapture;
let orgA: TServiceContext;
let orgB: TServiceContext;
let admin: { id: string; key: string };
let user: { id: string; key: string };
let consumer: { id: string; key: string };
let adminB: { id: string; key: string };
let allowedUuid: string;
let otherUuid: string;
const clients: Client[] = [];
const sent: string[] = [];
/** Every HTTP answer the MCP clients received (tool results included). */
const answers: string[] = [];

// The set tool runs the provider's probe: every credential sent here is one the upstream knows.
installLoopbackGuard();
const { upstream } = keyListUpstreamForFile();

function secret(label: string): string {
  const value = `canary-mcp-${label}-${randomBytes(8).toString("hex")}`;
  sent.push(value);
  return upstream().accept(value);
}

async function connect(form: "bearer" | "path", key: string): Promise<Client> {
  const client = form === "bearer" ? await mcpClient(`${server.url}/api/mcp`, key, answers) : await mcpClient(`${server.url}/api/ai/${key}/mcp`, undefined, answers);
  clients.push(client);
  return client;
}

const names = async (client: Client) => (await client.listTools()).tools.map((t) => t.name).sort();
const structured = (r: unknown) => (r as { structuredContent: Record<string, unknown> }).structuredContent;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  server = await startRouteServer();
  logs = captureConsole();
  orgA = await createFirstOrg();
  orgB = await createOrg("Org B");
  allowedUuid = unwrap(await addConnection(orgA, { provider: "stripe", name: "billing" })).uuid;
  otherUuid = unwrap(await addConnection(orgA, { provider: "stripe", name: "payouts" })).uuid;
  admin = await newKey(orgA, "admin");
  user = await newKey(orgA, "user");
  consumer = await newKey(orgA, "consumer", { allowedConnections: [allowedUuid] });
  adminB = await newKey(orgB, "admin");
});
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  logs.restore();
  await server.close();
  await testDb.teardown();
});

describe("MCP over Streamable HTTP", () => {
  it("tools/list per scope, at both URL forms: admin tools for admin keys only", async () => {
    for (const form of ["bearer", "path"] as const) {
      expect(await names(await connect(form, admin.key)), form).toEqual([...ADMIN_TOOLS, ...READ_TOOLS].sort());
      expect(await names(await connect(form, user.key)), form).toEqual(READ_TOOLS);
      expect(await names(await connect(form, consumer.key)), form).toEqual(READ_TOOLS);
    }
    const listing = (await (await connect("bearer", admin.key)).listTools()).tools.find((t) => t.name === "admin_set_integration_credentials")!;
    expect(listing.inputSchema).toMatchObject({ type: "object", required: ["integration_key", "value"] });
    expect(listing.annotations).toMatchObject({ readOnlyHint: false });
  });

  it("each tool's result, and the REST list is the same document", async () => {
    const client = await connect("path", admin.key);
    const set = await client.callTool({ name: "admin_set_integration_credentials", arguments: { integration_key: "openai:agent", value: secret("set") } });
    expect(toolError(set)).toBeNull();
    expect(structured(set)).toEqual({ key: "openai:agent", isConfigured: true, hasCredentials: true, updatedAt: expect.any(String) });
    expect(unwrap(await getCredentials(orgA, "openai:agent")).credentials).toEqual({ api_key: sent.at(-1) });

    const listed = structured(await client.callTool({ name: "admin_list_integrations", arguments: {} }));
    const rest = apiClient(server.url);
    const viaRest = (await rest.call("GET", "/api/admin/integrations", { key: admin.key })).body;
    expect(listed).toEqual(viaRest);
    expect((listed.integrations as { key: string; isConfigured: boolean }[]).find((i) => i.key === "openai:agent")?.isConfigured).toBe(true);

    const connections = structured(await client.callTool({ name: "list_connections", arguments: { provider: "openai" } }));
    expect(connections).toEqual({ connections: [expect.objectContaining({ provider: "openai", name: "agent", status: "configured", validationStatus: null })] });
    const providers = structured(await client.callTool({ name: "list_providers", arguments: { capability: "payments" } }));
    expect((providers.providers as { key: string }[]).map((p) => p.key)).toContain("stripe");
    const status = structured(await client.callTool({ name: "get_connection_status", arguments: { connection: "openai:agent" } }));
    expect(status).toMatchObject({ provider: "openai", name: "agent", status: "configured", lastValidatedAt: null, authType: "api_key" });
    expect(JSON.stringify(status)).not.toContain(sent.at(-1)!);

    const removed = await client.callTool({ name: "admin_remove_integration_credentials", arguments: { integration_key: "openai:agent" } });
    expect(structured(removed)).toEqual({ key: "openai:agent", isConfigured: false });
    const again = await client.callTool({ name: "admin_remove_integration_credentials", arguments: { integration_key: "openai:agent" } });
    expect(structured(again)).toEqual({ key: "openai:agent", isConfigured: false });
    const removes = (await auditRows(orgA.orgId)).filter((r) => r.action === "remove_integration_credentials");
    expect(removes.map((r) => r.metadata)).toEqual([{ wasNoop: false }, { wasNoop: true }]);

    // Errors come back as tool errors with the API's codes.
    expect(toolError(await client.callTool({ name: "admin_set_integration_credentials", arguments: { integration_key: "nope", value: "x" } }))).toMatchObject({ code: "integration_not_found" });
    expect(toolError(await client.callTool({ name: "admin_set_integration_credentials", arguments: { integration_key: "openai" } }))).toMatchObject({ code: "invalid_request" });
    expect(toolError(await client.callTool({ name: "no_such_tool", arguments: {} }))).toMatchObject({ code: "not_found" });
  });

  it("a user- or consumer-scoped key calling an admin tool gets forbidden_admin_scope and changes nothing", async () => {
    const prisma = await db();
    const before = await prisma.setting.count({ where: { orgId: orgA.orgId } });
    for (const key of [user.key, consumer.key]) {
      for (const form of ["bearer", "path"] as const) {
        const client = await connect(form, key);
        for (const name of ADMIN_TOOLS) {
          const result = await client.callTool({ name, arguments: { integration_key: "openai", value: secret("forbidden") } });
          expect(toolError(result), `${name} via ${form}`).toEqual({ code: "forbidden_admin_scope", message: "This operation requires an admin-scoped API key." });
        }
      }
    }
    expect(await prisma.setting.count({ where: { orgId: orgA.orgId } })).toBe(before);
  });

  it("a consumer key sees only the connections it is allowed; another org's key sees none of A's", async () => {
    const client = await connect("bearer", consumer.key);
    const listed = structured(await client.callTool({ name: "list_connections", arguments: {} }));
    expect((listed.connections as { uuid: string }[]).map((c) => c.uuid)).toEqual([allowedUuid]);
    expect(structured(await client.callTool({ name: "get_connection_status", arguments: { connection: allowedUuid } }))).toMatchObject({ uuid: allowedUuid });
    const hidden = toolError(await client.callTool({ name: "get_connection_status", arguments: { connection: otherUuid } }));
    const missing = toolError(await client.callTool({ name: "get_connection_status", arguments: { connection: "01900000-0000-7000-8000-000000000000" } }));
    expect(hidden).toEqual(missing);
    expect(hidden).toMatchObject({ code: "not_found" });

    const b = await connect("path", adminB.key);
    expect(toolError(await b.callTool({ name: "get_connection_status", arguments: { connection: allowedUuid } }))).toEqual(missing);
    expect(toolError(await b.callTool({ name: "get_connection_status", arguments: { connection: "stripe:billing" } }))).toEqual(
      toolError(await b.callTool({ name: "get_connection_status", arguments: { connection: "stripe:never" } })),
    );
    expect(structured(await b.callTool({ name: "list_connections", arguments: {} }))).toEqual({ connections: [] });
    const bList = structured(await b.callTool({ name: "admin_list_integrations", arguments: {} }));
    expect((bList.integrations as { isConfigured: boolean }[]).some((i) => i.isConfigured)).toBe(false);
    const removed = structured(await b.callTool({ name: "admin_remove_integration_credentials", arguments: { integration_key: "stripe:billing" } }));
    expect(removed).toEqual({ key: "stripe:billing", isConfigured: false });
    expect(unwrap(await getIntegrationByUuid(orgA, allowedUuid)).uuid).toBe(allowedUuid); // still there
  });

  it("an org-B admin key setting org A's integration key through MCP answers as for a key A never had, and changes nothing in A", async () => {
    const a = await connect("bearer", admin.key);
    const aValue = secret("only-a");
    expect(toolError(await a.callTool({ name: "admin_set_integration_credentials", arguments: { integration_key: "deepseek:only-a", value: aValue } }))).toBeNull();
    const prisma = await db();
    const aBefore = await prisma.setting.findMany({ where: { orgId: orgA.orgId }, orderBy: { key: "asc" } });
    const aAudit = (await auditRows(orgA.orgId)).length;

    const b = await connect("bearer", adminB.key);
    const set = async (key: string) => {
      const result = await b.callTool({ name: "admin_set_integration_credentials", arguments: { integration_key: key, value: secret("from-b") } });
      const body = structured(result) as { key: string; updatedAt: string };
      return { isError: toolError(result), ...body, key: body.key.replace(/only-a|never-seen/, "X"), updatedAt: typeof body.updatedAt };
    };
    expect(await set("deepseek:only-a")).toEqual(await set("deepseek:never-seen"));
    expect(toolError(await b.callTool({ name: "admin_set_integration_credentials", arguments: { integration_key: "deepseek:only-a", value: secret("from-b-again") } }))).toBeNull();
    // B's calls wrote B's own rows; A's rows and audit trail did not move.
    expect(await prisma.setting.findMany({ where: { orgId: orgA.orgId }, orderBy: { key: "asc" } })).toEqual(aBefore);
    expect(await auditRows(orgA.orgId)).toHaveLength(aAudit);
    expect(unwrap(await getCredentials(orgA, "deepseek:only-a")).credentials.api_key).toBe(aValue);
  });

  it("refuses a bad key at both URL forms, a key in the query string, and answers GET with 405", async () => {
    const bogus = `swb_${"A".repeat(60)}`;
    await expect(mcpClient(`${server.url}/api/mcp`, bogus)).rejects.toThrow();
    await expect(mcpClient(`${server.url}/api/ai/${bogus}/mcp`)).rejects.toThrow();
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } };
    const headers = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
    const inQuery = await fetch(`${server.url}/api/mcp?api_key=${admin.key}`, { method: "POST", headers: { ...headers, Authorization: `Bearer ${admin.key}` }, body: JSON.stringify(init) });
    expect(inQuery.status).toBe(401);
    expect(await inQuery.json()).toMatchObject({ error: { code: "unauthorized" } });
    for (const path of ["/api/mcp", `/api/ai/${admin.key}/mcp`]) {
      const get = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${admin.key}`, Accept: "text/event-stream" } });
      expect(get.status).toBe(405);
    }
    const notJson = await fetch(`${server.url}/api/mcp`, { method: "POST", headers: { ...headers, Authorization: `Bearer ${admin.key}` }, body: "{nope" });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 } });
  });

  it("meters every call with the sensitive value as <redacted> and the path key as /api/ai/<redacted>/mcp", async () => {
    const value = secret("metered");
    const client = await connect("path", admin.key);
    await client.callTool({ name: "admin_set_integration_credentials", arguments: { integration_key: "anthropic:metered", value } });
    const prisma = await db();
    const rows = await prisma.apiCall.findMany({ where: { orgId: orgA.orgId, apiKeyId: admin.id }, orderBy: { createdAt: "asc" } });
    const setCall = rows.filter((r) => r.operation === "admin_set_integration_credentials").at(-1)!;
    expect(setCall).toMatchObject({
      surface: "mcp",
      route: "POST /api/ai/<redacted>/mcp",
      status: 200,
      errorCode: null,
      parameters: { integration_key: "anthropic:metered", value: "<redacted>" },
    });
    expect(rows.map((r) => r.operation)).toEqual(expect.arrayContaining(["initialize", "tools/list", "admin_list_integrations", "list_connections"]));
    const forbidden = await prisma.apiCall.findFirst({ where: { apiKeyId: user.id, operation: "admin_set_integration_credentials" } });
    expect(forbidden).toMatchObject({ errorCode: "forbidden_admin_scope", parameters: { value: "<redacted>" } });
    const all = JSON.stringify(await prisma.apiCall.findMany());
    for (const k of [admin.key, user.key, consumer.key, adminB.key]) expect(all).not.toContain(k);
    expect(all).not.toContain(value);
    const logText = logs.text();
    expect(logText).toContain('"route":"POST /api/ai/<redacted>/mcp"');
    for (const k of [admin.key, user.key, consumer.key, adminB.key]) expect(logText).not.toContain(k);
  });

  it("a JSON-RPC batch is refused whole with one clear error: nothing in it runs, and it is metered as refused", async () => {
    const prisma = await db();
    const settingsBefore = await prisma.setting.count({ where: { orgId: orgA.orgId } });
    const auditBefore = (await auditRows(orgA.orgId)).length;
    const call = (id: number, name: string, args: Record<string, unknown>) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
    const batch = [
      call(1, "admin_set_integration_credentials", { integration_key: "openai:batch1", value: secret("batch-1") }),
      call(2, "admin_set_integration_credentials", { integration_key: "openai:batch2", value: secret("batch-2") }),
      call(3, "admin_list_integrations", {}),
    ];
    const headers = { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${admin.key}` };
    for (const path of ["/api/mcp", `/api/ai/${admin.key}/mcp`]) {
      const res = await fetch(`${server.url}${path}`, { method: "POST", headers, body: JSON.stringify(batch) });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid Request: JSON-RPC batches are not supported (MCP 2025-06-18); send one request per HTTP POST." } });
    }
    expect(await prisma.setting.count({ where: { orgId: orgA.orgId } })).toBe(settingsBefore);
    expect(await auditRows(orgA.orgId)).toHaveLength(auditBefore);
    const metered = await prisma.apiCall.findMany({ where: { apiKeyId: admin.id, operation: "batch" } });
    expect(metered).toHaveLength(2);
    for (const m of metered) expect(m).toMatchObject({ status: 400, errorCode: "invalid_request", parameters: {} });
  });

  it("a tool that fails unexpectedly answers JSON-RPC internal_error with a reference, never the error's text; the log line has the same reference", async () => {
    const prisma = await db();
    const value = secret("broken");
    const headers = { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${admin.key}` };
    const body = JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "admin_set_integration_credentials", arguments: { integration_key: "openai:broken", value } } });
    // A real failure inside the tool: the connections table is briefly gone (under another name).
    await prisma.$executeRawUnsafe(`ALTER TABLE settings RENAME TO settings_moved`);
    let res: Response;
    try {
      res = await fetch(`${server.url}/api/mcp`, { method: "POST", headers, body });
    } finally {
      await prisma.$executeRawUnsafe(`ALTER TABLE settings_moved RENAME TO settings`);
    }
    expect(res.status).toBe(500);
    const text = await res.text();
    const answer = JSON.parse(text) as { error: { data: { reference: string } } };
    expect(answer).toEqual({
      jsonrpc: "2.0",
      id: 7,
      error: {
        code: -32603,
        message: expect.stringMatching(/^internal_error: Something went wrong on our side; nothing was changed\. Try again\. Reference: [0-9a-f-]{36}\.$/),
        data: { code: "internal_error", reference: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      },
    });
    expect(text).not.toMatch(/settings|relation|prisma|\bat /i);
    const lines = logs.text().split("\n").filter((l) => l.includes(answer.error.data.reference));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"tool":"admin_set_integration_credentials"');
    expect(lines[0]).not.toMatch(/settings|relation|\bat /);
    // The call's own log line carries the error code (as errorCode: the logger hides a field named "code").
    expect(logs.text()).toMatch(/"message":"api call".*"operation":"admin_set_integration_credentials","status":500,"errorCode":"internal_error"/);
    const metered = await prisma.apiCall.findFirstOrThrow({ where: { apiKeyId: admin.id }, orderBy: { createdAt: "desc" } });
    expect(metered).toMatchObject({ operation: "admin_set_integration_credentials", status: 500, errorCode: "internal_error", parameters: { value: "<redacted>" } });
  });

  it("canary: no value sent over MCP comes back in a result, log, audit or metering row, or plaintext column", async () => {
    expect(sent.length).toBeGreaterThan(10);
    const prisma = await db();
    const audit = JSON.stringify(await prisma.auditLog.findMany());
    const metering = JSON.stringify(await prisma.apiCall.findMany());
    const results = answers.join("\n");
    const logText = logs.text();
    // The clients did receive tool results, and the set calls were metered: the checks below look at real rows and answers.
    expect(results).toContain('"structuredContent"');
    expect(await prisma.apiCall.count({ where: { surface: "mcp", operation: "admin_set_integration_credentials" } })).toBeGreaterThan(5);
    for (const value of sent) {
      expect(audit).not.toContain(value);
      expect(logText).not.toContain(value);
      expect(results).not.toContain(value);
      expect(metering).not.toContain(value);
    }
    for (const value of [sent[0]!, sent.at(-1)!]) expect(await columnsContaining(value)).toEqual([]);
  });
});
