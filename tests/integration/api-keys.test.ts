import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "@/lib/api-keys/key-format";
import { newKeyEntry } from "@/lib/integrations/crypto/key-ring";
import { authenticateApiKey } from "@/lib/api-keys/service/authenticate-api-key";
import { createApiKey } from "@/lib/api-keys/service/create-api-key";
import { listApiKeys } from "@/lib/api-keys/service/list-api-keys";
import { revokeApiKey } from "@/lib/api-keys/service/revoke-api-key";
import type { TCreateApiKeyInput } from "@/lib/api-keys/schemas";
import { db } from "@/lib/db";
import { addConnection, type TServiceContext } from "@/lib/integrations/service";
import { auditRows, codeOf, unwrap } from "../support/results";
import { createFirstOrg, createOrg, setEnv, setupTestDatabase, type TestDatabase } from "../support/test-db";

let testDb: TestDatabase;
let orgA: TServiceContext;
let orgB: TServiceContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  orgA = await createFirstOrg();
  orgB = await createOrg("Org B");
});
afterAll(() => testDb.teardown());

const input = (over: Partial<TCreateApiKeyInput> = {}): TCreateApiKeyInput => ({ name: "ci", scope: "admin", expiresIn: "never", allowedConnections: [], ...over });

async function keyRow(id: string) {
  const prisma = await db();
  return prisma.apiKey.findUniqueOrThrow({ where: { id } });
}

describe("API keys", () => {
  it("stores only an HMAC of the key and audits the creation without it", async () => {
    const created = unwrap(await createApiKey(orgA, input({ name: "provisioning", expiresIn: "30" })));
    expect(created.key).toMatch(/^swb_/);
    const row = await keyRow(created.id);
    expect(row).toMatchObject({ orgId: orgA.orgId, name: "provisioning", prefix: created.prefix, scope: "admin", createdById: orgA.actor.type === "user" ? orgA.actor.id : null });
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.key.slice(12));
    const days = (row.expiresAt!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    const audit = (await auditRows(orgA.orgId)).at(-1)!;
    expect(audit).toMatchObject({ action: "api_key_created", targetType: "api_key", targetId: created.id, metadata: { name: "provisioning", prefix: created.prefix, scope: "admin", connections: 0 } });
    expect(JSON.stringify(await auditRows(orgA.orgId))).not.toContain(created.key.slice(12));

    const listed = (await listApiKeys(orgA)).find((k) => k.id === created.id)!;
    expect(listed).toMatchObject({ name: "provisioning", prefix: created.prefix, scope: "admin", createdByEmail: orgA.actor.label, lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(row.hash);
    expect(await listApiKeys(orgB)).toEqual([]);
  });

  it("a consumer key names connections of its own organization only", async () => {
    const mine = unwrap(await addConnection(orgA, { provider: "openai", name: "consumed" })).uuid;
    const theirs = unwrap(await addConnection(orgB, { provider: "openai", name: "theirs" })).uuid;
    expect(codeOf(await createApiKey(orgA, input({ scope: "consumer", allowedConnections: [mine, theirs] })))).toBe("not_found");
    const created = unwrap(await createApiKey(orgA, input({ scope: "consumer", allowedConnections: [mine, mine.toUpperCase()] })));
    expect((await keyRow(created.id)).allowedConnections).toEqual([mine]);
    expect((await listApiKeys(orgA)).find((k) => k.id === created.id)!.allowedConnections).toEqual([{ uuid: mine, label: "openai:consumed" }]);
    // Other scopes carry no allow-list.
    const admin = unwrap(await createApiKey(orgA, input({ allowedConnections: [mine] })));
    expect((await keyRow(admin.id)).allowedConnections).toEqual([]);
  });

  it("authenticates a live key to its organization and scope", async () => {
    const created = unwrap(await createApiKey(orgB, input({ name: "agent", scope: "user" })));
    const auth = await authenticateApiKey(created.key);
    expect(auth).toEqual({
      ok: true,
      principal: { keyId: created.id, orgId: orgB.orgId, name: "agent", prefix: created.prefix, scope: "user", allowedConnections: [], createdById: expect.any(String), expiresAt: null },
    });
  });

  it("refuses malformed, unknown, revoked and expired keys", async () => {
    const { key } = unwrap(await createApiKey(orgA, input({ name: "to break" })));
    const cases: [string, string][] = [
      [`ghp_${key.slice(4)}`, "wrong_prefix"],
      [key.slice(0, -3), "wrong_length"],
      [`${key}x`, "wrong_length"],
      [key.slice(0, -1) + (key.endsWith("a") ? "b" : "a"), "bad_checksum"],
      [generateApiKey().key, "unknown"], // right prefix and checksum, wrong secret
      ["", "wrong_prefix"],
      ["x".repeat(100_000), "wrong_prefix"],
    ];
    for (const [presented, reason] of cases) expect(await authenticateApiKey(presented), reason).toEqual({ ok: false, reason });

    const expiring = unwrap(await createApiKey(orgA, input({ name: "expiring", expiresIn: "7" })));
    const prisma = await db();
    await prisma.apiKey.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await authenticateApiKey(expiring.key)).toEqual({ ok: false, reason: "expired" });
  });

  it("revocation takes effect at once, is idempotent, and use after it is audited at most once a minute", async () => {
    const created = unwrap(await createApiKey(orgA, input({ name: "leaked" })));
    expect((await authenticateApiKey(created.key)).ok).toBe(true);
    expect(codeOf(await revokeApiKey(orgB, { id: created.id }))).toBe("not_found"); // another org's admin
    expect(unwrap(await revokeApiKey(orgA, { id: created.id }))).toEqual({ revoked: true });
    expect(unwrap(await revokeApiKey(orgA, { id: created.id }))).toEqual({ revoked: false });
    expect((await auditRows(orgA.orgId)).filter((r) => r.action === "api_key_revoked" && r.targetId === created.id)).toHaveLength(1);

    for (let i = 0; i < 3; i++) expect(await authenticateApiKey(created.key)).toEqual({ ok: false, reason: "revoked" });
    const used = () => auditRows(orgA.orgId).then((rows) => rows.filter((r) => r.action === "api_key_used_after_revoke" && r.targetId === created.id));
    expect(await used()).toHaveLength(1);
    expect((await used())[0]).toMatchObject({ actorType: "api_key", actorId: created.id, actorLabel: `leaked (${created.prefix}…)` });
    const prisma = await db();
    await prisma.apiKey.update({ where: { id: created.id }, data: { revokedUseAt: new Date(Date.now() - 61_000) } });
    await authenticateApiKey(created.key);
    expect(await used()).toHaveLength(2);
  });

  it("records last use at most once a minute", async () => {
    const created = unwrap(await createApiKey(orgA, input({ name: "busy" })));
    await Promise.all(Array.from({ length: 5 }, () => authenticateApiKey(created.key)));
    const first = (await keyRow(created.id)).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await authenticateApiKey(created.key);
    expect((await keyRow(created.id)).lastUsedAt).toEqual(first);
    const prisma = await db();
    const old = new Date(Date.now() - 61_000);
    await prisma.apiKey.update({ where: { id: created.id }, data: { lastUsedAt: old } });
    await authenticateApiKey(created.key);
    expect((await keyRow(created.id)).lastUsedAt!.getTime()).toBeGreaterThan(old.getTime());
  });

  it("keeps working when a newer pepper version is added", async () => {
    const created = unwrap(await createApiKey(orgA, input({ name: "before rotation" })));
    const before = process.env.SWITCHBOARD_API_KEY_PEPPER!;
    try {
      setEnv("SWITCHBOARD_API_KEY_PEPPER", `${before},${newKeyEntry(2)}`);
      expect((await authenticateApiKey(created.key)).ok).toBe(true);
      const after = unwrap(await createApiKey(orgA, input({ name: "after rotation" })));
      expect((await authenticateApiKey(after.key)).ok).toBe(true);
      setEnv("SWITCHBOARD_API_KEY_PEPPER", before); // the new version removed: keys hashed under it stop working
      expect(await authenticateApiKey(after.key)).toEqual({ ok: false, reason: "unknown" });
    } finally {
      setEnv("SWITCHBOARD_API_KEY_PEPPER", before);
    }
  });
});
