import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getCredentials } from "@/lib/integrations/service";
import { newKey } from "../support/admin-api";
import { adminRestFixture, expectNothingLeaked } from "../support/admin-rest";
import { auditRows, unwrap } from "../support/results";
import { createOrg, setEnv } from "../support/test-db";

// The admin integration API's PUT refusals over real HTTP: unknown, disabled
// and malformed input, the provider's probe and its quota, what metering
// keeps, and error messages that never echo the caller's names. The route
// handlers on a local port over a real database: tests/support/admin-rest.ts.

const rest = adminRestFixture();
const { put, del, pa, secret, refusedSecret, settingsOf, upstream } = rest;

describe("REST: refusals", () => {
  it("404 integration_not_found, 400 integration_disabled and 400 invalid_request change nothing", async () => {
    await put(rest.adminA, "mistral", { value: secret("mistral") });
    const before = await settingsOf(rest.orgA.orgId);
    const auditBefore = (await auditRows(rest.orgA.orgId)).length;
    expect(await put(rest.adminA, "no_such_provider", { value: "x" })).toMatchObject({ status: 404, body: { error: { code: "integration_not_found" } } });
    expect(await del(rest.adminA, "no_such_provider")).toMatchObject({ status: 404, body: { error: { code: "integration_not_found" } } });
    expect(await put(rest.adminA, "OpenAI", { value: "x" })).toMatchObject({ status: 404, body: { error: { code: "integration_not_found" } } });

    setEnv("SWITCHBOARD_DISABLED_PROVIDERS", "mistral");
    try {
      expect(await put(rest.adminA, "mistral", { value: secret("disabled") })).toMatchObject({ status: 400, body: { error: { code: "integration_disabled" } } });
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
      const a = await rest.api.call("PUT", `/api/admin/integrations/${path}/credentials`, { key: rest.adminA, ...(b.body !== undefined ? { body: b.body } : { raw: b.raw }) });
      expect(a.status, label).toBe(400);
      expect((a.body as { error: { code: string } }).error.code, label).toBe("invalid_request");
    }
    expect(await settingsOf(rest.orgA.orgId)).toEqual(before);
    expect(await auditRows(rest.orgA.orgId)).toHaveLength(auditBefore);
  });

  it("PUT runs the provider's probe first: a refused key answers 400 invalid_credentials, stores and audits nothing, and is metered", async () => {
    expect((await put(rest.adminA, "openai:validated", { value: secret("good") })).status).toBe(200);
    const prisma = await db();
    const stored = await prisma.setting.findFirstOrThrow({ where: { orgId: rest.orgA.orgId, key: "integration:openai:validated" } });
    const apiKeyAudit = async () => (await auditRows(rest.orgA.orgId)).filter((r) => r.actorType === "api_key");
    const auditBefore = (await apiKeyAudit()).length;
    const seen = upstream().requests.length;

    const rejected = await put(rest.adminA, "openai:validated", { value: refusedSecret("rejected") });
    expect(rejected.status).toBe(400);
    expect(rejected.body).toEqual({ error: { code: "invalid_credentials", message: "OpenAI rejected the API key (401): Incorrect API key provided." } });
    expect(upstream().requests.slice(seen)).toEqual(["openai /v1/models"]); // the probe really asked the provider
    expect(await prisma.setting.findFirstOrThrow({ where: { uuid: stored.uuid } })).toEqual(stored);
    expect(unwrap(await getCredentials(rest.orgA, stored.uuid)).credentials.api_key).toMatch(/^canary-good-/);
    const metered = await prisma.apiCall.findFirstOrThrow({ where: { orgId: rest.orgA.orgId }, orderBy: { createdAt: "desc" } });
    expect(metered).toMatchObject({ operation: "admin_set_integration_credentials", status: 400, errorCode: "invalid_credentials" });

    // A refused first set creates no row; the Power Automate door runs the same probe.
    expect(await put(rest.adminA, "openai:never", { value: refusedSecret("never") })).toMatchObject({ status: 400, body: { error: { code: "invalid_credentials" } } });
    expect(await pa(rest.adminA, "admin_set_integration_credentials", { integration_key: "openai:validated", value: refusedSecret("rejected-pa") })).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_credentials", message: "OpenAI rejected the API key (401): Incorrect API key provided." } },
    });
    // A destination that does not answer is refused too (the PostgreSQL probe cannot log in).
    expect(await put(rest.adminA, "postgresql:down", { value: { host: "127.0.0.1", port: "9", database: "d", user: "u", password: refusedSecret("pg-down"), sslmode: "disable" } })).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_credentials" } },
    });
    expect(await prisma.setting.count({ where: { orgId: rest.orgA.orgId, key: { in: ["integration:openai:never", "integration:postgresql:down"] } } })).toBe(0);
    expect(await apiKeyAudit()).toHaveLength(auditBefore);

    // An OAuth provider's client credentials cannot be probed before consent: they pass and wait for Connect.
    const oauth = await put(rest.adminA, "google:api", { value: { client_id: "id.apps.googleusercontent.com", client_secret: refusedSecret("google") } });
    expect(oauth).toMatchObject({ status: 200, body: { key: "google:api", isConfigured: true } });
    expect((await put(rest.adminA, "openai:validated", { value: secret("accepted") })).status).toBe(200);
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
      await pa(rest.adminA, "admin_set_integration_credentials", { integration_key: "openai:metered", value: secret("metered"), api_key: planted, notes: { token: planted } }),
      await pa(rest.adminA, "admin_set_integration_credentials", { integration_key: "postgresql:metered", value: { host: "127.0.0.1", password: nested } }),
      await pa(rest.adminA, "admin_remove_integration_credentials", { integration_key: { api_key: planted } }),
      await pa(rest.adminA, "list_providers", { capability: "payments", [planted]: "x" }),
    ];
    expect(calls.map((c) => c.status)).toEqual([200, 400, 400, 200]);
    const rows = await prisma.apiCall.findMany({ where: { orgId: rest.orgA.orgId, surface: "powerautomate" }, orderBy: { createdAt: "desc" }, take: 4 });
    expect(rows.reverse().map((r) => r.parameters)).toEqual([
      { integration_key: "openai:metered", value: "<redacted>", _undeclared: 2 },
      { integration_key: "postgresql:metered", value: "<redacted>" },
      { integration_key: "<object>" },
      { capability: "payments", _undeclared: 1 },
    ]);
    const metering = JSON.stringify(await prisma.apiCall.findMany());
    for (const v of [planted, nested]) expect(metering).not.toContain(v);
    expect(rest.logs.text()).not.toContain(planted);
  });

  it("error messages never echo a name or value the caller sent (a canary in field names, keys, tool and method names)", async () => {
    const mark = randomBytes(8).toString("hex");
    const names = [`f<b>${mark}`, `field_${mark}`, `${"n".repeat(70)}${mark}`];
    const answers: { status: number; text: string }[] = [];
    for (const name of names) {
      answers.push(await put(rest.adminA, "postgresql", { value: { host: "h", database: "d", user: "u", [name]: "x" } }));
      answers.push(await put(rest.adminA, "postgresql", { value: JSON.stringify({ host: "h", [name]: "x" }) }));
      answers.push(await put(rest.adminA, "postgresql", { value: { host: "h", [name]: 5 } }));
      answers.push(await put(rest.adminA, "twilio", { value: { account_sid: "AC1", [name]: { deep: 1 } } }));
      answers.push(await pa(rest.adminA, "admin_set_integration_credentials", { integration_key: "postgresql", value: { [name]: "x" } }));
      answers.push(await rest.api.call("PUT", `/api/admin/integrations/${encodeURIComponent(`openai:${name}`)}/credentials`, { key: rest.adminA, body: { value: "x" } }));
      answers.push(await rest.api.call("PUT", `/api/admin/integrations/${encodeURIComponent(name)}/credentials`, { key: rest.adminA, body: { value: "x" } }));
      answers.push(await pa(rest.adminA, encodeURIComponent(name), {}));
      answers.push(await pa(rest.adminA, "get_connection_status", { connection: name }));
      answers.push(await pa(rest.adminA, "list_connections", { provider: name }));
      const rpc = (body: unknown) => rest.api.call("POST", "/api/mcp", { key: rest.adminA, body, headers: { Accept: "application/json, text/event-stream" } });
      answers.push(await rpc({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: {} } }));
      answers.push(await rpc({ jsonrpc: "2.0", id: 2, method: name, params: {} }));
      answers.push(await rpc({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "admin_set_integration_credentials", arguments: { integration_key: "postgresql", value: { [name]: 1 } } } }));
      answers.push(await rpc({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: { [name]: 1 } } }));
    }
    expect(answers.filter((a) => a.status >= 500 || a.text.includes(mark)).map((a) => a.text)).toEqual([]);
    // Still useful: an unknown field is named as unknown, and the provider's own fields are listed.
    const unknown = await put(rest.adminA, "postgresql", { value: { host: "h", database: "d", user: "u", [names[0]!]: "x" } });
    expect(unknown.body).toEqual({ error: { code: "invalid_request", message: expect.stringMatching(/^value: 1 unknown field for PostgreSQL\. Fields: connection_string, host, port, database, user, password, sslmode\.$/) } });
  });
});

describe("REST: canary", () => {
  it("no credential value sent above comes back in a response, a log line, an audit or metering row, or a plaintext column", async () => {
    await expectNothingLeaked(rest, { sentMoreThan: 15 });
  });
});
