import { describe, expect, it } from "vitest";
import { generateApiKey } from "@/lib/api-keys/key-format";
import { revokeApiKey } from "@/lib/api-keys/service/revoke-api-key";
import { db } from "@/lib/db";
import { newKey } from "../support/admin-api";
import { adminRestFixture, expectNothingLeaked } from "../support/admin-rest";
import { auditRows, unwrap } from "../support/results";
import { setEnv } from "../support/test-db";

// The admin integration API's key refusals over real HTTP: a user-scoped key
// (403), bad keys (401), the refused-key throttle and a key's rate limit
// (429). The route handlers on a local port over a real database:
// tests/support/admin-rest.ts.

const rest = adminRestFixture();
const { put, del, list, pa, secret, settingsOf } = rest;

describe("REST: refusals", () => {
  it("a user-scoped key gets 403 forbidden_admin_scope on every admin endpoint, whatever it sends", async () => {
    const before = await settingsOf(rest.orgA.orgId);
    const answers = [
      await list(rest.userA),
      await put(rest.userA, "openai", { value: secret("user") }),
      await rest.api.call("PUT", "/api/admin/integrations/openai/credentials", { key: rest.userA, raw: "not json" }),
      await put(rest.userA, "no_such_provider", { value: "x" }),
      await del(rest.userA, "openai"),
      await pa(rest.userA, "admin_list_integrations", {}),
      await pa(rest.userA, "admin_set_integration_credentials", { integration_key: "openai", value: secret("user-pa") }),
      await pa(rest.userA, "admin_remove_integration_credentials", { integration_key: "openai" }),
    ];
    for (const a of answers) {
      expect(a.status).toBe(403);
      expect(a.body).toEqual({ error: { code: "forbidden_admin_scope", message: "This operation requires an admin-scoped API key." } });
    }
    expect(await settingsOf(rest.orgA.orgId)).toEqual(before);
  });

  it("malformed, unknown, revoked, expired and query-string keys all get the same 401, never a 500", async () => {
    const revoked = await newKey(rest.orgA, "admin", { name: "revoked" });
    unwrap(await revokeApiKey(rest.orgA, { id: revoked.id }));
    const expired = await newKey(rest.orgA, "admin", { name: "expired", expiresIn: "7" });
    const prisma = await db();
    await prisma.apiKey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const valid = rest.adminA;
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
      ["basic auth", () => rest.api.call("GET", "/api/admin/integrations", { headers: { Authorization: `Basic ${Buffer.from(`u:${valid}`).toString("base64")}` } })],
      ["two different keys", () => rest.api.call("GET", "/api/admin/integrations", { headers: { Authorization: `Bearer ${valid}`, "x-api-key": rest.adminB } })],
    ];
    for (const [label, attempt] of attempts) {
      const a = await attempt();
      expect(a.status, label).toBe(401);
      expect(a.body, label).toEqual({ error: { code: "unauthorized", message: expect.stringContaining("A valid API key is required") } });
      expect(a.headers.get("www-authenticate"), label).toBe("Bearer");
    }
    const inQuery = await rest.api.call("GET", `/api/admin/integrations?api_key=${valid}`, { key: valid });
    expect(inQuery).toMatchObject({ status: 401, body: { error: { code: "unauthorized", message: expect.stringContaining("query string") } } });
    expect((await rest.api.call("DELETE", `/api/admin/integrations/openai/credentials?token=${valid}`, { key: valid })).status).toBe(401);
    // x-api-key works like Bearer.
    expect((await rest.api.call("GET", "/api/admin/integrations", { headers: { "x-api-key": valid } })).status).toBe(200);
  });

  it("refused keys are throttled per client address before the key lookup: 429 with Retry-After, other addresses unaffected", async () => {
    setEnv("SWITCHBOARD_API_REFUSED_KEYS_PER_MINUTE", "4");
    setEnv("SWITCHBOARD_TRUSTED_PROXIES", "127.0.0.1"); // the test's requests come "through a proxy" from the address they name
    try {
      const from = (address: string, key: string) => rest.api.call("GET", "/api/admin/integrations", { headers: { Authorization: `Bearer ${key}`, "X-Forwarded-For": address } });
      const revoked = await newKey(rest.orgA, "admin", { name: "revoked-throttled" });
      unwrap(await revokeApiKey(rest.orgA, { id: revoked.id }));
      const guesses = [generateApiKey().key, "swb_nope", rest.adminA.slice(0, -2) + "xx", generateApiKey().key];
      for (const guess of guesses) expect((await from("203.0.113.7", guess)).status).toBe(401);

      const usedAfterRevoke = async () => (await auditRows(rest.orgA.orgId)).filter((r) => r.action === "api_key_used_after_revoke").length;
      const auditedBefore = await usedAfterRevoke();
      for (const key of [generateApiKey().key, revoked.key, rest.adminA]) {
        const limited = await from("203.0.113.7", key);
        expect(limited.status).toBe(429);
        expect(limited.body).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/Too many refused API keys from your address; try again in \d+ s\./) } });
        expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
      // Refused before the lookup: the revoked key was never looked up, so its use is not audited.
      expect(await usedAfterRevoke()).toBe(auditedBefore);
      // Another address, and a valid key from it, are unaffected; the MCP door shares the count.
      expect((await from("198.51.100.9", rest.adminA)).status).toBe(200);
      const mcp = await rest.api.call("POST", `/api/ai/${generateApiKey().key}/mcp`, { body: { jsonrpc: "2.0", id: 1, method: "tools/list" }, headers: { "X-Forwarded-For": "203.0.113.7" } });
      expect(mcp.status).toBe(429);
    } finally {
      setEnv("SWITCHBOARD_API_REFUSED_KEYS_PER_MINUTE", undefined);
      setEnv("SWITCHBOARD_TRUSTED_PROXIES", undefined);
    }
  });

  it("a key that spent its budget gets 429 rate_limited with Retry-After; other keys are unaffected", async () => {
    setEnv("SWITCHBOARD_API_RATE_LIMIT_PER_MINUTE", "3");
    try {
      const { key } = await newKey(rest.orgA, "admin", { name: "chatty" });
      for (let i = 0; i < 3; i++) expect((await pa(key, "list_providers", {})).status).toBe(200);
      const limited = await list(key);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/try again in \d+ s/) } });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await list(rest.adminB)).status).toBe(200);
    } finally {
      setEnv("SWITCHBOARD_API_RATE_LIMIT_PER_MINUTE", undefined);
    }
  });
});

describe("REST: canary", () => {
  it("no credential value sent above comes back in a response, a log line, an audit or metering row, or a plaintext column", async () => {
    await expectNothingLeaked(rest, { sentMoreThan: 1, meteredValue: false });
  });
});
