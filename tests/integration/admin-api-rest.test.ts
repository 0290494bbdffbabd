import { randomBytes } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "@/lib/api-keys/key-format";
import { revokeApiKey } from "@/lib/api-keys/service/revoke-api-key";
import { verifyAuditChain } from "@/lib/audit/service/verify-chain";
import { db } from "@/lib/db";
import { getCredentials, type TServiceContext } from "@/lib/integrations/service";
import { apiClient, columnsContaining, newKey, keyListUpstreamForFile } from "../support/admin-api";
import { installLoopbackGuard } from "../support/loopback-guard";
import { createProbeRole, type TProbeRole } from "../support/standins/postgres";
import { auditRows, unwrap } from "../support/results";
import { startRouteServer, type TRouteServer } from "../support/route-server";
import { captureConsole, createFirstOrg, createOrg, setEnv, setupTestDatabase, type ConsoleCapture, type TestDatabase } from "../support/test-db";

// The admin integration API's REST and Power Automate surfaces over real HTTP
// (the route handlers on a local port, a real database). The running
// server's e2e test (e2e/admin-api.spec.ts) repeats the reference examples.

let testDb: TestDatabase;
let server: TRouteServer;
let api: ReturnType<typeof apiClient>;
let logs: ConsoleCapture;
let orgA: TServiceContext;
let orgB: TServiceContext;
let adminA: string;
let userA: string;
let adminB: string;
/** Every credential value this file sends: none may come back anywhere. */
const sent: string[] = [];

installLoopbackGuard();
const { upstream } = keyListUpstreamForFile();
let pgRole: TProbeRole;

/** A canary credential the provider (the key-list upstream) accepts. */
function secret(label: string): string {
  return upstream().accept(refusedSecret(label));
}

/** A canary credential the provider does not know: its probe fails. */
function refusedSecret(label: string): string {
  const value = `canary-${label}-${randomBytes(8).toString("hex")}`;
  sent.push(value);
  return value;
}

beforeAll(async () => {
  testDb = await setupTestDatabase();
  server = await startRouteServer();
  api = apiClient(server.url);
  logs = captureConsole();
  orgA = await createFirstOrg();
  orgB = await createOrg("Org B");
  adminA = (await newKey(orgA, "admin")).key;
  userA = (await newKey(orgA, "user")).key;
  adminB = (await newKey(orgB, "admin")).key;
  pgRole = await createProbeRole();
  setEnv("SWITCHBOARD_OUTBOUND_ALLOW", `127.0.0.1:${upstream().port},127.0.0.1:${pgRole.port}`);
});
afterAll(async () => {
  logs.restore();
  await pgRole?.drop();
  await server.close();
  await testDb.teardown();
});

const put = (key: string | undefined, integration: string, body: unknown) => api.call("PUT", `/api/admin/integrations/${integration}/credentials`, { key, body });
const del = (key: string | undefined, integration: string) => api.call("DELETE", `/api/admin/integrations/${integration}/credentials`, { key });
const list = (key: string | undefined) => api.call("GET", "/api/admin/integrations", { key });
const pa = (key: string | undefined, tool: string, body?: unknown) => api.call("POST", `/api/powerautomate/${tool}`, { key, body });

async function settingsOf(orgId: string) {
  const prisma = await db();
  return prisma.setting.findMany({ where: { orgId }, orderBy: { key: "asc" } });
}

describe("REST: the reference's examples", () => {
  it("list, set, rotate, remove twice: the reference's bodies, statuses and audit rows", async () => {
    const listed = await list(adminA);
    expect(listed.status).toBe(200);
    const integrations = (listed.body as { integrations: Record<string, unknown>[] }).integrations;
    expect(Object.keys(listed.body as object)).toEqual(["integrations"]);
    expect(integrations.find((i) => i.key === "openai")).toEqual({
      key: "openai",
      name: "OpenAI",
      description: expect.any(String),
      isConfigured: false,
      hasCredentials: false,
      configuredAt: null,
      updatedAt: null,
      configuredByEmail: null,
    });

    const set = await put(adminA, "openai", { value: secret("set") });
    expect(set.status).toBe(200);
    expect(set.headers.get("content-type")).toContain("application/json");
    expect(Object.keys(set.body as object)).toEqual(["key", "isConfigured", "hasCredentials", "updatedAt"]);
    expect(set.body).toEqual({ key: "openai", isConfigured: true, hasCredentials: true, updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });

    const rotated = await put(adminA, "openai", { value: secret("rotate") });
    expect(rotated.body).toEqual({ key: "openai", isConfigured: true, hasCredentials: true, updatedAt: expect.any(String) });
    const after = (await list(adminA)).body as { integrations: Record<string, unknown>[] };
    expect(after.integrations.find((i) => i.key === "openai")).toMatchObject({
      isConfigured: true,
      hasCredentials: true,
      configuredAt: expect.any(String),
      updatedAt: (rotated.body as { updatedAt: string }).updatedAt,
      configuredByEmail: orgA.actor.label,
    });
    const creds = unwrap(await getCredentials(orgA, "openai"));
    expect(creds.credentials).toEqual({ api_key: sent.at(-1) });

    const removed = await del(adminA, "openai");
    const again = await del(adminA, "openai");
    for (const r of [removed, again]) {
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ key: "openai", isConfigured: false });
      expect(Object.keys(r.body as object)).toEqual(["key", "isConfigured"]);
    }

    const audit = (await auditRows(orgA.orgId)).filter((r) => r.actorType === "api_key");
    const pick = (a: (typeof audit)[number]) => ({ action: a.action, targetType: a.targetType, targetId: a.targetId, metadata: a.metadata });
    const count = integrations.length;
    expect(audit.map(pick)).toEqual([
      { action: "list_integrations", targetType: null, targetId: null, metadata: { count, configuredCount: 0 } },
      { action: "set_integration_credentials", targetType: "integration", targetId: "openai", metadata: { wasUpdate: false } },
      { action: "set_integration_credentials", targetType: "integration", targetId: "openai", metadata: { wasUpdate: true } },
      { action: "list_integrations", targetType: null, targetId: null, metadata: { count, configuredCount: 1 } },
      { action: "remove_integration_credentials", targetType: "integration", targetId: "openai", metadata: { wasNoop: false } },
      { action: "remove_integration_credentials", targetType: "integration", targetId: "openai", metadata: { wasNoop: true } },
    ]);
    expect(new Set(audit.map((a) => a.actorLabel))).toEqual(new Set(["admin key (" + adminA.slice(0, 12) + "…)"]));
  });

  it("provider:name keys, multi-field providers and the Power Automate facade share one implementation", async () => {
    const named = await put(adminA, "openai:default", { value: secret("default-alias") });
    expect(named.body).toMatchObject({ key: "openai" }); // the canonical form
    expect((await put(adminA, "openai:billing", { value: secret("named") })).body).toMatchObject({ key: "openai:billing", isConfigured: true });
    // The PostgreSQL probe logs in to the local server as a role made for this file.
    const setup = { host: "127.0.0.1", port: String(pgRole.port), database: pgRole.database, user: pgRole.user, sslmode: "disable" };
    const pg = await put(adminA, "postgresql:warehouse", { value: { ...setup, password: pgRole.password } });
    expect(pg.status).toBe(200);
    expect(unwrap(await getCredentials(orgA, "postgresql:warehouse")).credentials).toMatchObject({ ...setup, password: pgRole.password });
    const asString = await put(adminA, "twilio", { value: JSON.stringify({ account_sid: "AC123", key_sid: "SK123", key_secret: secret("twilio") }) });
    expect(asString.status).toBe(200);

    const listed = (await pa(adminA, "admin_list_integrations")).body as { integrations: { key: string; name: string; isConfigured: boolean }[] };
    expect(listed.integrations.filter((i) => i.isConfigured).map((i) => i.key).sort()).toEqual(["openai", "openai:billing", "postgresql:warehouse", "twilio"]);
    expect(listed.integrations.find((i) => i.key === "openai:billing")?.name).toBe("OpenAI (billing)");
    const viaPa = await pa(adminA, "admin_set_integration_credentials", { integration_key: "anthropic", value: secret("pa") });
    expect(viaPa.body).toEqual({ key: "anthropic", isConfigured: true, hasCredentials: true, updatedAt: expect.any(String) });
    expect((await pa(adminA, "admin_remove_integration_credentials", { integration_key: "anthropic" })).body).toEqual({ key: "anthropic", isConfigured: false });
    expect(await pa(adminA, "no_such_tool", {})).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await pa(adminA, "admin_set_integration_credentials", { integration_key: "anthropic" })).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    const status = await pa(userA, "get_connection_status", { connection: "openai:billing" });
    expect(status.body).toMatchObject({ provider: "openai", name: "billing", status: "configured" });
  });
});

describe("REST: refusals", () => {
  it("a user-scoped key gets 403 forbidden_admin_scope on every admin endpoint, whatever it sends", async () => {
    const before = await settingsOf(orgA.orgId);
    const answers = [
      await list(userA),
      await put(userA, "openai", { value: secret("user") }),
      await api.call("PUT", "/api/admin/integrations/openai/credentials", { key: userA, raw: "not json" }),
      await put(userA, "no_such_provider", { value: "x" }),
      await del(userA, "openai"),
      await pa(userA, "admin_list_integrations", {}),
      await pa(userA, "admin_set_integration_credentials", { integration_key: "openai", value: secret("user-pa") }),
      await pa(userA, "admin_remove_integration_credentials", { integration_key: "openai" }),
    ];
    for (const a of answers) {
      expect(a.status).toBe(403);
      expect(a.body).toEqual({ error: { code: "forbidden_admin_scope", message: "This operation requires an admin-scoped API key." } });
    }
    expect(await settingsOf(orgA.orgId)).toEqual(before);
  });

  it("404 integration_not_found, 400 integration_disabled and 400 invalid_request change nothing", async () => {
    await put(adminA, "mistral", { value: secret("mistral") });
    const before = await settingsOf(orgA.orgId);
    const auditBefore = (await auditRows(orgA.orgId)).length;
    expect(await put(adminA, "no_such_provider", { value: "x" })).toMatchObject({ status: 404, body: { error: { code: "integration_not_found" } } });
    expect(await del(adminA, "no_such_provider")).toMatchObject({ status: 404, body: { error: { code: "integration_not_found" } } });
    expect(await put(adminA, "OpenAI", { value: "x" })).toMatchObject({ status: 404, body: { error: { code: "integration_not_found" } } });

    setEnv("SWITCHBOARD_DISABLED_PROVIDERS", "mistral");
    try {
      expect(await put(adminA, "mistral", { value: secret("disabled") })).toMatchObject({ status: 400, body: { error: { code: "integration_disabled" } } });
    } finally {
      setEnv("SWITCHBOARD_DISABLED_PROVIDERS", undefined);
    }

    const badBodies: [string, { body?: unknown; raw?: string; path?: string }][] = [
      ["empty value", { body: { value: "" } }],
      ["oversize value", { body: { value: "x".repeat(8193) } }],
      ["oversize object", { body: { value: { host: "h", database: "d", user: "u", password: "p".repeat(8200) } }, path: "postgresql" }],
      ["missing value", { body: {} }],
      ["wrong type", { body: { value: 42 } }],
      ["wrong field type", { body: { value: { host: 1 } }, path: "postgresql" }],
      ["array body", { body: [{ value: "x" }] }],
      ["not JSON", { raw: "{value: nope" }],
      ["empty body", { raw: "" }],
      ["invalid UTF-8", { raw: "\uD800" }],
      ["huge body", { raw: JSON.stringify({ value: "x", pad: "p".repeat(70_000) }) }],
      ["bad name", { body: { value: "x" }, path: "openai:bad name" }],
      ["key too long", { body: { value: "x" }, path: `openai:${"a".repeat(300)}` }],
      ["a plain string for a multi-field provider", { body: { value: secret("plain") }, path: "postgresql" }],
      ["a setup rule broken", { body: { value: { account_sid: "XX1", key_sid: "SK1", key_secret: secret("twilio-bad") } }, path: "twilio" }],
    ];
    for (const [label, b] of badBodies) {
      const path = encodeURIComponent(b.path ?? "openai");
      const a = await api.call("PUT", `/api/admin/integrations/${path}/credentials`, { key: adminA, ...(b.body !== undefined ? { body: b.body } : { raw: b.raw }) });
      expect(a.status, label).toBe(400);
      expect((a.body as { error: { code: string } }).error.code, label).toBe("invalid_request");
    }
    expect(await settingsOf(orgA.orgId)).toEqual(before);
    expect(await auditRows(orgA.orgId)).toHaveLength(auditBefore);
  });

  it("PUT runs the provider's probe first: a refused key answers 400 invalid_credentials, stores and audits nothing, and is metered", async () => {
    expect((await put(adminA, "openai:validated", { value: secret("good") })).status).toBe(200);
    const prisma = await db();
    const stored = await prisma.setting.findFirstOrThrow({ where: { orgId: orgA.orgId, key: "integration:openai:validated" } });
    const apiKeyAudit = async () => (await auditRows(orgA.orgId)).filter((r) => r.actorType === "api_key");
    const auditBefore = (await apiKeyAudit()).length;
    const seen = upstream().requests.length;

    const rejected = await put(adminA, "openai:validated", { value: refusedSecret("rejected") });
    expect(rejected.status).toBe(400);
    expect(rejected.body).toEqual({ error: { code: "invalid_credentials", message: "OpenAI rejected the API key (401): Incorrect API key provided." } });
    expect(upstream().requests.slice(seen)).toEqual(["openai /v1/models"]); // the probe really asked the provider
    expect(await prisma.setting.findFirstOrThrow({ where: { uuid: stored.uuid } })).toEqual(stored);
    expect(unwrap(await getCredentials(orgA, stored.uuid)).credentials.api_key).toMatch(/^canary-good-/);
    const metered = await prisma.apiCall.findFirstOrThrow({ where: { orgId: orgA.orgId }, orderBy: { createdAt: "desc" } });
    expect(metered).toMatchObject({ operation: "admin_set_integration_credentials", status: 400, errorCode: "invalid_credentials" });

    // A refused first set creates no row; the Power Automate door runs the same probe.
    expect(await put(adminA, "openai:never", { value: refusedSecret("never") })).toMatchObject({ status: 400, body: { error: { code: "invalid_credentials" } } });
    expect(await pa(adminA, "admin_set_integration_credentials", { integration_key: "openai:validated", value: refusedSecret("rejected-pa") })).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_credentials", message: "OpenAI rejected the API key (401): Incorrect API key provided." } },
    });
    // A destination that does not answer is refused too (the PostgreSQL probe cannot log in).
    expect(await put(adminA, "postgresql:down", { value: { host: "127.0.0.1", port: "9", database: "d", user: "u", password: refusedSecret("pg-down"), sslmode: "disable" } })).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_credentials" } },
    });
    expect(await prisma.setting.count({ where: { orgId: orgA.orgId, key: { in: ["integration:openai:never", "integration:postgresql:down"] } } })).toBe(0);
    expect(await apiKeyAudit()).toHaveLength(auditBefore);

    // An OAuth provider's client credentials cannot be probed before consent: they pass and wait for Connect.
    const oauth = await put(adminA, "google:api", { value: { client_id: "id.apps.googleusercontent.com", client_secret: refusedSecret("google") } });
    expect(oauth).toMatchObject({ status: 200, body: { key: "google:api", isConfigured: true } });
    expect((await put(adminA, "openai:validated", { value: secret("accepted") })).status).toBe(200);
  });

  it("the probe's quota: a key that set too many credentials in a minute gets 429 rate_limited with Retry-After, and nothing is stored", async () => {
    setEnv("SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE", "2");
    try {
      // A new organization: the quota counts per key and per organization.
      const orgQ = await createOrg("Org Q");
      const { key } = await newKey(orgQ, "admin", { name: "prober" });
      for (let i = 0; i < 2; i++) expect((await put(key, "mistral:quota", { value: secret(`quota-${i}`) })).status).toBe(200);
      const limited = await put(key, "mistral:quota", { value: secret("quota-over") });
      expect(limited).toMatchObject({ status: 429, body: { error: { code: "rate_limited", message: expect.stringMatching(/Try again in \d+ s/) } } });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(unwrap(await getCredentials(orgQ, "mistral:quota")).credentials.api_key).toMatch(/^canary-quota-1-/);
    } finally {
      setEnv("SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE", "10000");
    }
  });

  it("metering stores only a tool's declared parameters: undeclared ones are dropped and counted, a sensitive one is <redacted> at any depth", async () => {
    const prisma = await db();
    const planted = refusedSecret("undeclared");
    const nested = secret("nested");
    const calls = [
      await pa(adminA, "admin_set_integration_credentials", { integration_key: "openai:metered", value: secret("metered"), api_key: planted, notes: { token: planted } }),
      await pa(adminA, "admin_set_integration_credentials", { integration_key: "postgresql:metered", value: { host: "127.0.0.1", password: nested } }),
      await pa(adminA, "admin_remove_integration_credentials", { integration_key: { api_key: planted } }),
      await pa(adminA, "list_providers", { capability: "payments", [planted]: "x" }),
    ];
    expect(calls.map((c) => c.status)).toEqual([200, 400, 400, 200]);
    const rows = await prisma.apiCall.findMany({ where: { orgId: orgA.orgId, surface: "powerautomate" }, orderBy: { createdAt: "desc" }, take: 4 });
    expect(rows.reverse().map((r) => r.parameters)).toEqual([
      { integration_key: "openai:metered", value: "<redacted>", _undeclared: 2 },
      { integration_key: "postgresql:metered", value: "<redacted>" },
      { integration_key: "<object>" },
      { capability: "payments", _undeclared: 1 },
    ]);
    const metering = JSON.stringify(await prisma.apiCall.findMany());
    for (const v of [planted, nested]) expect(metering).not.toContain(v);
    expect(logs.text()).not.toContain(planted);
  });

  it("error messages never echo a name or value the caller sent (a canary in field names, keys, tool and method names)", async () => {
    const mark = randomBytes(8).toString("hex");
    const names = [`f<b>${mark}`, `field_${mark}`, `${"n".repeat(70)}${mark}`];
    const answers: { status: number; text: string }[] = [];
    for (const name of names) {
      answers.push(await put(adminA, "postgresql", { value: { host: "h", database: "d", user: "u", [name]: "x" } }));
      answers.push(await put(adminA, "postgresql", { value: JSON.stringify({ host: "h", [name]: "x" }) }));
      answers.push(await put(adminA, "postgresql", { value: { host: "h", [name]: 5 } }));
      answers.push(await put(adminA, "twilio", { value: { account_sid: "AC1", [name]: { deep: 1 } } }));
      answers.push(await pa(adminA, "admin_set_integration_credentials", { integration_key: "postgresql", value: { [name]: "x" } }));
      answers.push(await api.call("PUT", `/api/admin/integrations/${encodeURIComponent(`openai:${name}`)}/credentials`, { key: adminA, body: { value: "x" } }));
      answers.push(await api.call("PUT", `/api/admin/integrations/${encodeURIComponent(name)}/credentials`, { key: adminA, body: { value: "x" } }));
      answers.push(await pa(adminA, encodeURIComponent(name), {}));
      answers.push(await pa(adminA, "get_connection_status", { connection: name }));
      answers.push(await pa(adminA, "list_connections", { provider: name }));
      const rpc = (body: unknown) => api.call("POST", "/api/mcp", { key: adminA, body, headers: { Accept: "application/json, text/event-stream" } });
      answers.push(await rpc({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: {} } }));
      answers.push(await rpc({ jsonrpc: "2.0", id: 2, method: name, params: {} }));
      answers.push(await rpc({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "admin_set_integration_credentials", arguments: { integration_key: "postgresql", value: { [name]: 1 } } } }));
      answers.push(await rpc({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: { [name]: 1 } } }));
    }
    expect(answers.filter((a) => a.status >= 500 || a.text.includes(mark)).map((a) => a.text)).toEqual([]);
    // Still useful: an unknown field is named as unknown, and the provider's own fields are listed.
    const unknown = await put(adminA, "postgresql", { value: { host: "h", database: "d", user: "u", [names[0]!]: "x" } });
    expect(unknown.body).toEqual({ error: { code: "invalid_request", message: expect.stringMatching(/^value: 1 unknown field for PostgreSQL\. Fields: connection_string, host, port, database, user, password, sslmode\.$/) } });
  });

  it("malformed, unknown, revoked, expired and query-string keys all get the same 401, never a 500", async () => {
    const revoked = await newKey(orgA, "admin", { name: "revoked" });
    unwrap(await revokeApiKey(orgA, { id: revoked.id }));
    const expired = await newKey(orgA, "admin", { name: "expired", expiresIn: "7" });
    const prisma = await db();
    await prisma.apiKey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const valid = adminA;
    const flipped = valid.slice(0, -1) + (valid.endsWith("a") ? "b" : "a");
    const attempts: [string, () => Promise<Awaited<ReturnType<typeof list>>>][] = [
      ["no key", () => list(undefined)],
      ["wrong prefix", () => list(`ghp_${valid.slice(4)}`)],
      ["right prefix, wrong secret", () => list(generateApiKey().key)],
      ["bad checksum", () => list(flipped)],
      ["truncated", () => list(valid.slice(0, 30))],
      ["over-long", () => list(valid + "x".repeat(5000))],
      ["revoked", () => list(revoked.key)],
      ["expired", () => list(expired.key)],
      ["basic auth", () => api.call("GET", "/api/admin/integrations", { headers: { Authorization: `Basic ${Buffer.from(`u:${valid}`).toString("base64")}` } })],
      ["two different keys", () => api.call("GET", "/api/admin/integrations", { headers: { Authorization: `Bearer ${valid}`, "x-api-key": adminB } })],
    ];
    for (const [label, attempt] of attempts) {
      const a = await attempt();
      expect(a.status, label).toBe(401);
      expect(a.body, label).toEqual({ error: { code: "unauthorized", message: expect.stringContaining("A valid API key is required") } });
      expect(a.headers.get("www-authenticate"), label).toBe("Bearer");
    }
    const inQuery = await api.call("GET", `/api/admin/integrations?api_key=${valid}`, { key: valid });
    expect(inQuery).toMatchObject({ status: 401, body: { error: { code: "unauthorized", message: expect.stringContaining("query string") } } });
    expect((await api.call("DELETE", `/api/admin/integrations/openai/credentials?token=${valid}`, { key: valid })).status).toBe(401);
    // x-api-key works like Bearer.
    expect((await api.call("GET", "/api/admin/integrations", { headers: { "x-api-key": valid } })).status).toBe(200);
  });

  it("refused keys are throttled per client address before the key lookup: 429 with Retry-After, other addresses unaffected", async () => {
    setEnv("SWITCHBOARD_API_REFUSED_KEYS_PER_MINUTE", "4");
    setEnv("SWITCHBOARD_TRUSTED_PROXIES", "127.0.0.1"); // the test's requests come "through a proxy" from the address they name
    try {
      const from = (address: string, key: string) => api.call("GET", "/api/admin/integrations", { headers: { Authorization: `Bearer ${key}`, "X-Forwarded-For": address } });
      const revoked = await newKey(orgA, "admin", { name: "revoked-throttled" });
      unwrap(await revokeApiKey(orgA, { id: revoked.id }));
      const guesses = [generateApiKey().key, "swb_nope", adminA.slice(0, -2) + "xx", generateApiKey().key];
      for (const guess of guesses) expect((await from("203.0.113.7", guess)).status).toBe(401);

      const usedAfterRevoke = async () => (await auditRows(orgA.orgId)).filter((r) => r.action === "api_key_used_after_revoke").length;
      const auditedBefore = await usedAfterRevoke();
      for (const key of [generateApiKey().key, revoked.key, adminA]) {
        const limited = await from("203.0.113.7", key);
        expect(limited.status).toBe(429);
        expect(limited.body).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/Too many refused API keys from your address; try again in \d+ s\./) } });
        expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
      // Refused before the lookup: the revoked key was never looked up, so its use is not audited.
      expect(await usedAfterRevoke()).toBe(auditedBefore);
      // Another address, and a valid key from it, are unaffected; the MCP door shares the count.
      expect((await from("198.51.100.9", adminA)).status).toBe(200);
      const mcp = await api.call("POST", `/api/ai/${generateApiKey().key}/mcp`, { body: { jsonrpc: "2.0", id: 1, method: "tools/list" }, headers: { "X-Forwarded-For": "203.0.113.7" } });
      expect(mcp.status).toBe(429);
    } finally {
      setEnv("SWITCHBOARD_API_REFUSED_KEYS_PER_MINUTE", undefined);
      setEnv("SWITCHBOARD_TRUSTED_PROXIES", undefined);
    }
  });

  it("a key that spent its budget gets 429 rate_limited with Retry-After; other keys are unaffected", async () => {
    setEnv("SWITCHBOARD_API_RATE_LIMIT_PER_MINUTE", "3");
    try {
      const { key } = await newKey(orgA, "admin", { name: "chatty" });
      for (let i = 0; i < 3; i++) expect((await pa(key, "list_providers", {})).status).toBe(200);
      const limited = await list(key);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/try again in \d+ s/) } });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await list(adminB)).status).toBe(200);
    } finally {
      setEnv("SWITCHBOARD_API_RATE_LIMIT_PER_MINUTE", undefined);
    }
  });
});

describe("REST: concurrency and isolation", () => {
  it("20 concurrent PUTs on one new key: one row, one activation, 19 rotations, an intact chain", async () => {
    const values = Array.from({ length: 20 }, (_, i) => secret(`race-${i}`));
    const answers = await Promise.all(values.map((value) => put(adminA, "groq:race", { value })));
    expect(answers.map((a) => a.status)).toEqual(values.map(() => 200));
    const rows = (await settingsOf(orgA.orgId)).filter((r) => r.key === "integration:groq:race");
    expect(rows).toHaveLength(1);
    const sets = (await auditRows(orgA.orgId)).filter((r) => r.action === "set_integration_credentials" && r.targetId === "groq:race");
    expect(sets).toHaveLength(20);
    expect(sets.filter((r) => (r.metadata as { wasUpdate: boolean }).wasUpdate === false)).toHaveLength(1);
    expect(sets.filter((r) => (r.metadata as { wasUpdate: boolean }).wasUpdate === true)).toHaveLength(19);
    // In the chain's order the activation comes first: the audit order is the order the writes took effect.
    expect([...sets].sort((a, b) => a.seq - b.seq)[0]!.metadata).toEqual({ wasUpdate: false });
    expect(await verifyAuditChain(orgA.orgId)).toMatchObject({ intact: true });
    expect(values).toContain(unwrap(await getCredentials(orgA, "groq:race")).credentials.api_key);
  });

  it("PUTs and DELETEs racing on one key: every answer 200, and the audit trail replays to the row that is left", async () => {
    for (let round = 0; round < 2; round++) {
      const key = `openai:churn${round}`;
      // 10 PUTs at once, and DELETEs fired every few milliseconds until they are all answered, so removals land in every phase of a PUT.
      let settled = false;
      const puts = Promise.all(Array.from({ length: 10 }, (_, i) => put(adminA, key, { value: secret(`churn-${round}-${i}`) }))).finally(() => (settled = true));
      const deletes: ReturnType<typeof del>[] = [];
      while (!settled && deletes.length < 60) {
        deletes.push(del(adminA, key));
        await new Promise((r) => setTimeout(r, 8));
      }
      const answers = [...(await puts), ...(await Promise.all(deletes))];
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));

      // Replayed in the chain's order, each audit row must describe the state it found.
      const trail = (await auditRows(orgA.orgId)).filter((r) => r.targetId === key).sort((a, b) => a.seq - b.seq);
      expect(trail).toHaveLength(answers.length);
      expect(trail.filter((r) => r.action === "set_integration_credentials")).toHaveLength(10);
      let present = false;
      for (const row of trail) {
        const meta = row.metadata as { wasUpdate?: boolean; wasNoop?: boolean };
        if (row.action === "set_integration_credentials") {
          expect(meta.wasUpdate, `round ${round}, seq ${row.seq}: set`).toBe(present);
          present = true;
        } else {
          expect(meta.wasNoop, `round ${round}, seq ${row.seq}: remove`).toBe(!present);
          present = false;
        }
      }
      const rows = (await settingsOf(orgA.orgId)).filter((r) => r.key === `integration:${key}`);
      expect(rows).toHaveLength(present ? 1 : 0);
      // The row left (if any) opens: its ciphertext is bound to the uuid it has.
      if (present) expect(sent).toContain(unwrap(await getCredentials(orgA, key)).credentials.api_key);
    }
    expect(await verifyAuditChain(orgA.orgId)).toMatchObject({ intact: true });
  });

  it("an org-B key on org A's integrations answers exactly as for ones that do not exist, and changes nothing in A", async () => {
    await put(adminA, "deepseek:only-a", { value: secret("only-a") });
    const aBefore = await settingsOf(orgA.orgId);
    const strip = (c: { status: number; body: unknown }) => JSON.parse(JSON.stringify({ status: c.status, body: c.body }).replace(/"updatedAt":"[^"]+"/g, '"updatedAt":"T"').replace(/only-a|never-seen/g, "X"));

    expect(strip(await del(adminB, "deepseek:only-a"))).toEqual(strip(await del(adminB, "deepseek:never-seen")));
    const bList = (await list(adminB)).body as { integrations: { key: string }[] };
    expect(bList.integrations.map((i) => i.key)).not.toContain("deepseek:only-a");
    expect(strip(await pa(adminB, "get_connection_status", { connection: "deepseek:only-a" }))).toEqual(
      strip(await pa(adminB, "get_connection_status", { connection: "deepseek:never-seen" })),
    );
    const aUuid = aBefore.find((r) => r.key === "integration:deepseek:only-a")!.uuid;
    expect(await pa(adminB, "get_connection_status", { connection: aUuid })).toEqual(
      await pa(adminB, "get_connection_status", { connection: "01900000-0000-7000-8000-000000000000" }),
    );
    const bConnections = (await pa(adminB, "list_connections", {})).body as { connections: { uuid: string }[] };
    expect(bConnections.connections.map((c) => c.uuid)).not.toContain(aUuid);
    // Setting the same key from B creates B's own row: an activation in B, nothing in A.
    expect(strip(await put(adminB, "deepseek:only-a", { value: secret("b-own") }))).toEqual(strip(await put(adminB, "deepseek:never-seen", { value: secret("b-own-2") })));
    const bSets = (await auditRows(orgB.orgId)).filter((r) => r.action === "set_integration_credentials");
    expect(bSets.map((r) => r.metadata)).toEqual([{ wasUpdate: false }, { wasUpdate: false }]);
    expect(await settingsOf(orgA.orgId)).toEqual(aBefore);
    expect(unwrap(await getCredentials(orgA, "deepseek:only-a")).credentials.api_key).toMatch(/^canary-only-a-/);
  });

  it("Power Automate set and remove with an org-B key on org A's integration answer as for one A never had, and change nothing in A", async () => {
    await put(adminA, "mistral:pa-only-a", { value: secret("pa-only-a") });
    const aBefore = await settingsOf(orgA.orgId);
    const aAudit = (await auditRows(orgA.orgId)).length;
    const strip = (c: { status: number; body: unknown }) => JSON.parse(JSON.stringify({ status: c.status, body: c.body }).replace(/"updatedAt":"[^"]+"/g, '"updatedAt":"T"').replace(/pa-only-a|pa-never-seen/g, "X"));
    const remove = (key: string) => pa(adminB, "admin_remove_integration_credentials", { integration_key: key });
    const set = (key: string) => pa(adminB, "admin_set_integration_credentials", { integration_key: key, value: secret("pa-from-b") });

    expect(strip(await remove("mistral:pa-only-a"))).toEqual(strip(await remove("mistral:pa-never-seen")));
    expect(strip(await set("mistral:pa-only-a"))).toEqual(strip(await set("mistral:pa-never-seen")));
    // Removing again now removes B's own row, for both keys alike.
    expect(strip(await remove("mistral:pa-only-a"))).toEqual(strip(await remove("mistral:pa-never-seen")));
    expect(await settingsOf(orgA.orgId)).toEqual(aBefore);
    expect(await auditRows(orgA.orgId)).toHaveLength(aAudit);
    expect(unwrap(await getCredentials(orgA, "mistral:pa-only-a")).credentials.api_key).toMatch(/^canary-pa-only-a-/);
  });
});

describe("OpenAPI and snippets: the configured public URL, never the request's Host", () => {
  /** GET with a Host header of the caller's choosing (fetch would not send one). */
  function getWithHost(path: string, host: string): Promise<{ status: number; body: string }> {
    const url = new URL(path, server.url);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, headers: { Host: host } }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => (body += c)).on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject).end();
    });
  }

  it("servers[0] of /api/openapi.json is NEXTAUTH_URL, or http://localhost:PORT, whatever Host the request names", async () => {
    const serverUrl = async () => (JSON.parse((await getWithHost("/api/openapi.json", "attacker.example:8443")).body) as { servers: { url: string }[] }).servers[0]!.url;
    setEnv("NEXTAUTH_URL", undefined);
    setEnv("PORT", "3999");
    try {
      expect(await serverUrl()).toBe("http://localhost:3999");
      setEnv("NEXTAUTH_URL", "https://switchboard.example.com/");
      expect(await serverUrl()).toBe("https://switchboard.example.com");
    } finally {
      setEnv("NEXTAUTH_URL", undefined);
      setEnv("PORT", undefined);
    }
  });
});

describe("REST: canary", () => {
  it("no credential value sent above comes back in a response, a log line, an audit or metering row, or a plaintext column", async () => {
    expect(sent.length).toBeGreaterThan(30);
    const answers = api.answers.join("\n");
    const logText = logs.text();
    expect(logText).toContain('"message":"api call"'); // the log was captured
    const prisma = await db();
    const audit = JSON.stringify(await prisma.auditLog.findMany());
    const metering = JSON.stringify(await prisma.apiCall.findMany());
    expect(metering).toContain('"value":"<redacted>"');
    for (const value of sent) {
      expect(answers).not.toContain(value);
      expect(logText).not.toContain(value);
      expect(audit).not.toContain(value);
      expect(metering).not.toContain(value);
    }
    for (const value of sent.slice(0, 3).concat(sent.slice(-3))) expect(await columnsContaining(value)).toEqual([]);
    // The keys themselves are never stored or logged either.
    for (const key of [adminA, userA, adminB]) {
      expect(logText).not.toContain(key);
      expect(await columnsContaining(key)).toEqual([]);
    }
  });
});
