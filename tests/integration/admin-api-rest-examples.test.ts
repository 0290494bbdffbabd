import http from "node:http";
import { describe, expect, it } from "vitest";
import { getCredentials } from "@/lib/integrations/service";
import { adminRestFixture, expectNothingLeaked } from "../support/admin-rest";
import { auditRows, unwrap } from "../support/results";
import { setEnv } from "../support/test-db";

// The admin integration API's REST and Power Automate surfaces over real HTTP:
// the reference's examples, and the public URL in the OpenAPI document. The
// route handlers on a local port over a real database:
// tests/support/admin-rest.ts. The running server's e2e test
// (e2e/admin-api.spec.ts) repeats the reference examples.

const rest = adminRestFixture({ postgresRole: true });
const { put, del, list, pa, secret, sent } = rest;

describe("REST: the reference's examples", () => {
  it("list, set, rotate, remove twice: the reference's bodies, statuses and audit rows", async () => {
    const listed = await list(rest.adminA);
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

    const set = await put(rest.adminA, "openai", { value: secret("set") });
    expect(set.status).toBe(200);
    expect(set.headers.get("content-type")).toContain("application/json");
    expect(Object.keys(set.body as object)).toEqual(["key", "isConfigured", "hasCredentials", "updatedAt"]);
    expect(set.body).toEqual({ key: "openai", isConfigured: true, hasCredentials: true, updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });

    const rotated = await put(rest.adminA, "openai", { value: secret("rotate") });
    expect(rotated.body).toEqual({ key: "openai", isConfigured: true, hasCredentials: true, updatedAt: expect.any(String) });
    const after = (await list(rest.adminA)).body as { integrations: Record<string, unknown>[] };
    expect(after.integrations.find((i) => i.key === "openai")).toMatchObject({
      isConfigured: true,
      hasCredentials: true,
      configuredAt: expect.any(String),
      updatedAt: (rotated.body as { updatedAt: string }).updatedAt,
      configuredByEmail: rest.orgA.actor.label,
    });
    const creds = unwrap(await getCredentials(rest.orgA, "openai"));
    expect(creds.credentials).toEqual({ api_key: sent.at(-1) });

    const removed = await del(rest.adminA, "openai");
    const again = await del(rest.adminA, "openai");
    for (const r of [removed, again]) {
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ key: "openai", isConfigured: false });
      expect(Object.keys(r.body as object)).toEqual(["key", "isConfigured"]);
    }

    const audit = (await auditRows(rest.orgA.orgId)).filter((r) => r.actorType === "api_key");
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
    expect(new Set(audit.map((a) => a.actorLabel))).toEqual(new Set(["admin key (" + rest.adminA.slice(0, 12) + "…)"]));
  });

  it("provider:name keys, multi-field providers and the Power Automate facade share one implementation", async () => {
    const named = await put(rest.adminA, "openai:default", { value: secret("default-alias") });
    expect(named.body).toMatchObject({ key: "openai" }); // the canonical form
    expect((await put(rest.adminA, "openai:billing", { value: secret("named") })).body).toMatchObject({ key: "openai:billing", isConfigured: true });
    // The PostgreSQL probe rest.logs in to the local rest.server as a role made for this file.
    const setup = { host: "127.0.0.1", port: String(rest.pgRole.port), database: rest.pgRole.database, user: rest.pgRole.user, sslmode: "disable" };
    const pg = await put(rest.adminA, "postgresql:warehouse", { value: { ...setup, password: rest.pgRole.password } });
    expect(pg.status).toBe(200);
    expect(unwrap(await getCredentials(rest.orgA, "postgresql:warehouse")).credentials).toMatchObject({ ...setup, password: rest.pgRole.password });
    const asString = await put(rest.adminA, "twilio", { value: JSON.stringify({ account_sid: "AC123", key_sid: "SK123", key_secret: secret("twilio") }) });
    expect(asString.status).toBe(200);

    const listed = (await pa(rest.adminA, "admin_list_integrations")).body as { integrations: { key: string; name: string; isConfigured: boolean }[] };
    expect(listed.integrations.filter((i) => i.isConfigured).map((i) => i.key).sort()).toEqual(["openai", "openai:billing", "postgresql:warehouse", "twilio"]);
    expect(listed.integrations.find((i) => i.key === "openai:billing")?.name).toBe("OpenAI (billing)");
    const viaPa = await pa(rest.adminA, "admin_set_integration_credentials", { integration_key: "anthropic", value: secret("pa") });
    expect(viaPa.body).toEqual({ key: "anthropic", isConfigured: true, hasCredentials: true, updatedAt: expect.any(String) });
    expect((await pa(rest.adminA, "admin_remove_integration_credentials", { integration_key: "anthropic" })).body).toEqual({ key: "anthropic", isConfigured: false });
    expect(await pa(rest.adminA, "no_such_tool", {})).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await pa(rest.adminA, "admin_set_integration_credentials", { integration_key: "anthropic" })).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    const status = await pa(rest.userA, "get_connection_status", { connection: "openai:billing" });
    expect(status.body).toMatchObject({ provider: "openai", name: "billing", status: "configured" });
  });
});

describe("OpenAPI and snippets: the configured public URL, never the request's Host", () => {
  /** GET with a Host header of the caller's choosing (fetch would not send one). */
  function getWithHost(path: string, host: string): Promise<{ status: number; body: string }> {
    const url = new URL(path, rest.server.url);
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
    await expectNothingLeaked(rest, { sentMoreThan: 5 });
  });
});
