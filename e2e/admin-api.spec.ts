import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test } from "./support/test";
import { createKeyInUi, curl } from "./support/api-keys";
import { uniqueName } from "./support/connections";
import { columnsContaining, filesContaining } from "./support/db-scan";
import { ADMIN, ADMIN_STATE, DATA_DIR, DB_KIND, E2E_DATABASE_URL, SERVER_LOG } from "./support/env";
import { STANDIN_HTTP_PORT } from "./support/standins";
import { startKeyListUpstream, type TKeyListUpstream } from "../tests/support/standins/key-list-upstream";

// The admin integration API over real HTTP against the running production
// build: the reference's curl examples, scopes, errors, MCP through the SDK's
// own client at both URL forms, concurrency, and a canary.

let adminKey = "";
let userKey = "";
const sent: string[] = [];
const answers: string[] = [];
/** PUT runs the provider's probe: the server's provider base URLs point here, and it knows every key sent. */
let upstream: TKeyListUpstream;

function secret(label: string): string {
  const value = `canary-e2e-${label}-${randomBytes(8).toString("hex")}`;
  sent.push(value);
  return upstream.accept(value);
}

test.afterAll(async () => {
  await upstream?.close();
});

test.beforeAll(async ({ browser }) => {
  upstream = await startKeyListUpstream(STANDIN_HTTP_PORT);
  const page = await browser.newPage({ storageState: ADMIN_STATE });
  adminKey = await createKeyInUi(page, { name: uniqueName("e2e-admin"), scope: "admin" });
  userKey = await createKeyInUi(page, { name: uniqueName("e2e-user"), scope: "user" });
  await page.close();
});

async function call(base: string, args: string[], key = adminKey) {
  const r = await curl([...args.map((a) => a.replace("{base}", base)), "-H", `Authorization: Bearer ${key}`]);
  answers.push(r.body);
  return { status: r.status, body: r.body ? JSON.parse(r.body) : null };
}

const put = (integration: string, value: unknown) => [
  "-X",
  "PUT",
  `{base}/api/admin/integrations/${integration}/credentials`,
  "-H",
  "Content-Type: application/json",
  "-d",
  JSON.stringify({ value }),
];
const del = (integration: string) => ["-X", "DELETE", `{base}/api/admin/integrations/${integration}/credentials`];

async function mcp(url: string, key?: string): Promise<Client> {
  const client = new Client({ name: "e2e", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), key ? { requestInit: { headers: { Authorization: `Bearer ${key}` } } } : undefined));
  return client;
}

function toolError(result: unknown): { code: string } | null {
  const r = result as { isError?: boolean; content: { text: string }[] };
  return r.isError ? JSON.parse(r.content[0]!.text).error : null;
}

test("the reference's curl examples: list, set, rotate, remove twice give the reference's bodies", async ({ page, baseURL }) => {
  const list = await call(baseURL!, ["{base}/api/admin/integrations"]);
  expect(list.status).toBe(200);
  expect(Object.keys(list.body)).toEqual(["integrations"]);
  for (const i of list.body.integrations) {
    expect(Object.keys(i)).toEqual(["key", "name", "description", "isConfigured", "hasCredentials", "configuredAt", "updatedAt", "configuredByEmail"]);
  }
  expect(list.body.integrations.find((i: { key: string }) => i.key === "xai")).toMatchObject({ name: "xAI", isConfigured: false, configuredByEmail: null });

  const key = `xai:${uniqueName("ref")}`;
  const set = await call(baseURL!, put(key, secret("set")));
  expect(set).toEqual({ status: 200, body: { key, isConfigured: true, hasCredentials: true, updatedAt: expect.stringMatching(/Z$/) } });
  const rotated = await call(baseURL!, put(key, secret("rotate")));
  expect(rotated).toEqual({ status: 200, body: { key, isConfigured: true, hasCredentials: true, updatedAt: expect.any(String) } });
  const listed = (await call(baseURL!, ["{base}/api/admin/integrations"])).body.integrations.find((i: { key: string }) => i.key === key);
  expect(listed).toMatchObject({ isConfigured: true, hasCredentials: true, configuredByEmail: ADMIN.email, updatedAt: rotated.body.updatedAt });
  expect(await call(baseURL!, del(key))).toEqual({ status: 200, body: { key, isConfigured: false } });
  expect(await call(baseURL!, del(key))).toEqual({ status: 200, body: { key, isConfigured: false } });

  // The audit log tells activation from rotation, and the real removal from the no-op.
  await page.goto("/admin/audit");
  const rows = page.getByRole("table").getByRole("row").filter({ hasText: key });
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0)).toContainText("remove_integration_credentials");
  await expect(rows.nth(0)).toContainText("wasNooptrue");
  await expect(rows.nth(1)).toContainText("wasNoopfalse");
  await expect(rows.nth(2)).toContainText("wasUpdatetrue");
  await expect(rows.nth(3)).toContainText("wasUpdatefalse");
  await expect(rows.nth(3)).toContainText(`API key e2e-admin`);
});

test("a user-scoped key gets 403 forbidden_admin_scope on every admin endpoint and tool, at both MCP URLs", async ({ baseURL }) => {
  const forbidden = { error: { code: "forbidden_admin_scope", message: "This operation requires an admin-scoped API key." } };
  for (const args of [["{base}/api/admin/integrations"], put("openai", secret("user")), del("openai")]) {
    expect(await call(baseURL!, args, userKey)).toEqual({ status: 403, body: forbidden });
  }
  for (const tool of ["admin_list_integrations", "admin_set_integration_credentials", "admin_remove_integration_credentials"]) {
    const args = ["-X", "POST", `{base}/api/powerautomate/${tool}`, "-H", "Content-Type: application/json", "-d", JSON.stringify({ integration_key: "openai", value: "x" })];
    expect(await call(baseURL!, args, userKey)).toEqual({ status: 403, body: forbidden });
  }
  for (const client of [await mcp(`${baseURL}/api/mcp`, userKey), await mcp(`${baseURL}/api/ai/${userKey}/mcp`)]) {
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(["get_connection_status", "list_connections", "list_providers"]);
    const result = await client.callTool({ name: "admin_set_integration_credentials", arguments: { integration_key: "openai", value: secret("user-mcp") } });
    expect(toolError(result)).toEqual(forbidden.error);
    await client.close();
  }
});

test("unknown keys 404, a disabled provider 400, bad bodies 400 invalid_request; keys refused with 401, never 500", async ({ baseURL }) => {
  expect(await call(baseURL!, put("no_such_provider", "x"))).toMatchObject({ status: 404, body: { error: { code: "integration_not_found" } } });
  expect(await call(baseURL!, del("no_such_provider"))).toMatchObject({ status: 404, body: { error: { code: "integration_not_found" } } });
  expect(await call(baseURL!, put("postmark", secret("disabled")))).toMatchObject({ status: 400, body: { error: { code: "integration_disabled" } } });
  const target = `{base}/api/admin/integrations/openai/credentials`;
  const bodies = ['{"value": ""}', JSON.stringify({ value: "x".repeat(8193) }), "{nope", '{"value": 5}', "[]", ""];
  for (const body of bodies) {
    const r = await call(baseURL!, ["-X", "PUT", target, "-H", "Content-Type: application/json", "--data-binary", body]);
    expect(r, body.slice(0, 20)).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
  }
  expect(await call(baseURL!, put("postgresql", secret("plain-for-multi")))).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });

  const flipped = adminKey.slice(0, -1) + (adminKey.endsWith("a") ? "b" : "a");
  const bad = [`ghp_${adminKey.slice(4)}`, `swb_${"A".repeat(60)}`, flipped, adminKey.slice(0, 20), `${adminKey}${"x".repeat(4000)}`, ""];
  for (const k of bad) {
    const r = await curl(["-H", `Authorization: Bearer ${k}`, `${baseURL}/api/admin/integrations`]);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).error.code).toBe("unauthorized");
  }
  const inQuery = await curl([`${baseURL}/api/admin/integrations?api_key=${adminKey}`, "-H", `Authorization: Bearer ${adminKey}`]);
  expect(inQuery.status).toBe(401);
  expect(JSON.parse(inQuery.body).error.message).toContain("query string");
});

test("a PUT whose probe is refused answers 400 invalid_credentials and leaves the stored row as it was", async ({ baseURL }) => {
  const key = `openai:${uniqueName("refused")}`;
  expect((await call(baseURL!, put(key, secret("kept")))).status).toBe(200);
  const listed = async () => (await call(baseURL!, ["{base}/api/admin/integrations"])).body.integrations.find((i: { key: string }) => i.key === key);
  const before = await listed();
  expect(before).toMatchObject({ isConfigured: true, hasCredentials: true, updatedAt: expect.stringMatching(/Z$/) });

  // A value the provider stand-in never registered: its probe gets 401.
  const refused = `canary-e2e-refused-${randomBytes(8).toString("hex")}`;
  sent.push(refused);
  const r = await call(baseURL!, put(key, refused));
  expect(r.status).toBe(400);
  expect(r.body).toEqual({ error: { code: "invalid_credentials", message: expect.any(String) } });
  expect(r.body.error.message).not.toContain(refused);
  expect(await listed()).toEqual(before);
});

test("MCP through the SDK's client at both URL forms; the API calls page shows the value as <redacted>", async ({ page, baseURL }) => {
  const value = secret("mcp");
  const name = uniqueName("mcp");
  for (const client of [await mcp(`${baseURL}/api/mcp`, adminKey), await mcp(`${baseURL}/api/ai/${adminKey}/mcp`)]) {
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("admin_set_integration_credentials");
    const set = await client.callTool({ name: "admin_set_integration_credentials", arguments: { integration_key: `elevenlabs:${name}`, value } });
    expect(set.structuredContent).toMatchObject({ key: `elevenlabs:${name}`, isConfigured: true, hasCredentials: true });
    const status = await client.callTool({ name: "get_connection_status", arguments: { connection: `elevenlabs:${name}` } });
    expect(status.structuredContent).toMatchObject({ provider: "elevenlabs", name, status: "configured" });
    answers.push(JSON.stringify(set), JSON.stringify(status));
    await client.close();
  }

  await page.goto("/admin/audit/api-calls?operation=admin_set_integration_credentials&surface=mcp");
  const rows = page.getByRole("table").getByRole("row").filter({ hasText: `elevenlabs:${name}` });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "/api/ai/<redacted>/mcp" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "POST /api/mcp" })).toHaveCount(1);
  for (const r of await rows.all()) await expect(r).toContainText("value<redacted>");
  const html = await page.content();
  expect(html).not.toContain(value);
  expect(html).not.toContain(adminKey);

  // The filters narrow the list.
  await page.getByLabel("Outcome").selectOption({ label: "Refused or failed" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/outcome=error/);
  await expect(page.getByRole("table").getByRole("row").filter({ hasText: `elevenlabs:${name}` })).toHaveCount(0);
});

test("20 concurrent PUTs on one new key: one activation, 19 rotations, and the chain verifies", async ({ page, baseURL }) => {
  const key = `groq:${uniqueName("race")}`;
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(baseURL!, put(key, secret(`race-${i}`)))));
  expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
  const list = (await call(baseURL!, ["{base}/api/admin/integrations"])).body.integrations.filter((i: { key: string }) => i.key === key);
  expect(list).toHaveLength(1);

  await page.goto("/admin/audit?action=set_integration_credentials");
  const rows = page.getByRole("table").getByRole("row").filter({ hasText: key });
  await expect(rows).toHaveCount(20);
  await expect(rows.filter({ hasText: "wasUpdatefalse" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "wasUpdatetrue" })).toHaveCount(19);
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Chain" })).toContainText(/Chain intact: all \d+ entries match their hashes\./);
});

test("the OpenAPI document describes every endpoint from the handlers' schemas", async ({ request }) => {
  const res = await request.get("/api/openapi.json");
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining(["/api/admin/integrations", "/api/admin/integrations/{key}/credentials", "/api/mcp", "/api/ai/{key}/mcp", "/api/powerautomate/admin_set_integration_credentials"]),
  );
  const body = doc.paths["/api/admin/integrations/{key}/credentials"].put.requestBody.content["application/json"].schema;
  expect(JSON.stringify(body)).toContain('"maxLength":8192');
  expect(Object.keys(doc.paths["/api/admin/integrations/{key}/credentials"].put.responses).sort()).toEqual(["200", "400", "401", "403", "404", "429", "500"]);
});

test("canary: no credential value sent over the API appears in a response, the server log or a plaintext column", async () => {
  expect(sent.length).toBeGreaterThan(20);
  const all = answers.join("\n");
  const log = fs.readFileSync(SERVER_LOG, "utf8");
  expect(log).toContain('"message":"api call"');
  for (const value of sent) {
    expect(all).not.toContain(value);
    expect(log).not.toContain(value);
  }
  for (const key of [adminKey, userKey]) expect(log).not.toContain(key);
  const sample = [...sent.slice(0, 3), ...sent.slice(-3), adminKey, userKey];
  for (const value of sample) {
    if (DB_KIND === "postgres") expect(await columnsContaining(E2E_DATABASE_URL!, value)).toEqual([]);
    else expect(filesContaining(DATA_DIR!, value)).toEqual([]);
  }
});
