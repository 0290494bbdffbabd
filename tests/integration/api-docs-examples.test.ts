import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curlMcpToolCall, curlTool, KEY_PLACEHOLDER, VALUE_PLACEHOLDER } from "@/lib/admin-api/snippets";
import { toolExampleArgs } from "@/lib/admin-api/tool-examples";
import { TOOLS } from "@/lib/admin-api/tools";
import { keyListUpstreamForFile, newKey } from "../support/admin-api";
import { installLoopbackGuard } from "../support/loopback-guard";
import { startRouteServer, type TRouteServer } from "../support/route-server";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// Every per-tool example of the API docs page, run as a shell would run the
// pasted text (bash, curl, $SWITCHBOARD_API_KEY from the environment) against
// the route handlers: each answers 200 and a tool result, not an error.

const run = promisify(execFile);
let testDb: TestDatabase;
let server: TRouteServer;
let adminKey: string;

installLoopbackGuard();
const { upstream } = keyListUpstreamForFile();

beforeAll(async () => {
  testDb = await setupTestDatabase();
  server = await startRouteServer();
  adminKey = (await newKey(await createFirstOrg(), "admin")).key;
  upstream().accept(VALUE_PLACEHOLDER); // the set example's value, as the provider's stand-in knows it
});
afterAll(async () => {
  await server.close();
  await testDb.teardown();
});

async function paste(snippet: string): Promise<{ status: number; body: string }> {
  expect(snippet).toContain(`Bearer ${KEY_PLACEHOLDER}`);
  const { stdout } = await run("bash", ["-c", `${snippet} -s -w '\\n%{http_code}'`], { env: { ...process.env, SWITCHBOARD_API_KEY: adminKey } });
  const at = stdout.lastIndexOf("\n");
  return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) };
}

// The set example runs before the others so that get_connection_status finds its connection; remove runs last.
const ORDER = ["admin_set_integration_credentials", "admin_list_integrations", "list_connections", "list_providers", "get_connection_status", "admin_remove_integration_credentials"];

describe("the API docs page's per-tool examples, pasted into a shell", () => {
  it("covers every tool", () => {
    expect([...ORDER].sort()).toEqual(TOOLS.map((t) => t.name).sort());
  });

  it.each(ORDER)("%s: the Power Automate and the MCP example both answer 200 with the tool's result", async (name) => {
    const tool = TOOLS.find((t) => t.name === name)!;
    const args = toolExampleArgs(tool);
    const pa = await paste(curlTool(server.url, KEY_PLACEHOLDER, name, args));
    expect(pa.status, pa.body).toBe(200);
    expect(JSON.parse(pa.body)).not.toHaveProperty("error");
    const mcp = await paste(curlMcpToolCall(server.url, KEY_PLACEHOLDER, name, args));
    expect(mcp.status, mcp.body).toBe(200);
    const answer = JSON.parse(mcp.body) as { result?: { isError?: boolean; structuredContent?: unknown } };
    expect(answer.result?.isError ?? false, mcp.body).toBe(false);
    expect(Object.keys(answer.result?.structuredContent ?? {}).sort()).toEqual(Object.keys(JSON.parse(pa.body) as object).sort());
  });
});
