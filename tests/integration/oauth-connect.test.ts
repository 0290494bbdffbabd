import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { encryptSecret } from "@/lib/integrations/crypto/cipher";
import { keyRing } from "@/lib/integrations/crypto/key-ring";
import { authorizationUrl, completeAuthorization, getIntegrationByUuid, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { addGenericConnection, allowLoopbackOutbound, consentAs, REDIRECT_URI, stateRow, storedSecrets } from "../support/oauth";
import { authorizeAs } from "../support/standins/oidc-login";
import { startOidcServer, type TOidcStandin } from "../support/standins/oidc-server";
import { auditRows, unwrap } from "../support/results";
import { createFirstOrg, createOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

let testDb: TestDatabase;
let standin: TOidcStandin;
let orgA: TServiceContext;
let orgB: TServiceContext;
let colleague: TServiceContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  allowLoopbackOutbound();
  standin = await startOidcServer({ redirectUris: [REDIRECT_URI] });
  orgA = await createFirstOrg();
  orgB = await createOrg("Org B");
  // A second admin of org A.
  const prisma = await db();
  const user = await prisma.user.create({ data: { email: `colleague-${randomUUID().slice(0, 8)}@example.com`, passwordHash: "x" } });
  await prisma.membership.create({ data: { orgId: orgA.orgId, userId: user.id, role: "admin" } });
  colleague = { orgId: orgA.orgId, actor: { type: "user", id: user.id, label: user.email } };
});
afterAll(async () => {
  await standin?.close();
  await testDb?.teardown();
});

/** The connection's stored row and its audit trail: "nothing stored" means neither changes. */
async function snapshot(uuid: string) {
  const prisma = await db();
  const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
  return { value: row.value, secret: Buffer.from(row.secret ?? []).toString("base64"), audits: (await auditRows(orgA.orgId)).length };
}

describe("Connect account (authorization code + PKCE against oidc-provider)", () => {
  it("builds the consent URL with a 32-byte state, PKCE S256 and the exact redirect URI; the state is stored only hashed", async () => {
    const uuid = await addGenericConnection(orgA, standin, "url-check");
    const { url } = unwrap(await authorizationUrl(orgA, { uuid, redirectUri: REDIRECT_URI }));
    const q = new URL(url).searchParams;
    expect(url.startsWith(`${standin.issuer}/o/oauth2/v2/auth?`)).toBe(true);
    expect(q.get("redirect_uri")).toBe(REDIRECT_URI);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(Buffer.from(q.get("state")!, "base64url").length).toBeGreaterThanOrEqual(32);
    const row = await stateRow(q.get("state")!);
    expect(row).toMatchObject({ userId: orgA.actor.type === "user" && orgA.actor.id, orgId: orgA.orgId, connectionUuid: uuid, usedAt: null });
    expect(row.stateHash).not.toContain(q.get("state"));
    expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    const prisma = await db();
    const raw = JSON.stringify(await prisma.$queryRaw`SELECT * FROM oauth_states`, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    expect(raw).not.toContain(q.get("state"));
  });

  it("connects through the real login and consent pages: tokens sealed, account read, connected audited", async () => {
    const uuid = await addGenericConnection(orgA, standin, "main");
    const outcome = await completeAuthorization(orgA, { params: await consentAs(orgA, uuid, "ada") });
    expect(outcome.uuid).toBe(uuid);
    expect(unwrap(outcome.result)).toEqual({ account: "ada@example.com" });
    const c = unwrap(await getIntegrationByUuid(orgA, uuid));
    expect(c).toMatchObject({ status: "connected", account: { email: "ada@example.com", id: "ada" } });
    expect(c.connectedAt).not.toBeNull();
    expect(new Date(c.expiresAt!).getTime()).toBeGreaterThan(Date.now());
    expect(c.scopes).toEqual(expect.arrayContaining(["openid", "email"]));
    const secrets = await storedSecrets(uuid);
    expect(standin.issuedTokens.has(secrets.access_token!)).toBe(true);
    expect(standin.issuedTokens.has(secrets.refresh_token!)).toBe(true);
    expect(secrets.client_secret).toBe(standin.clientSecret);
    const audit = (await auditRows(orgA.orgId)).filter((r) => r.targetId === uuid).map((r) => r.action);
    expect(audit).toContain("connected");
  });
});

describe("Connect account: the account cannot always be read", () => {
  it("scopes without openid/email: connected anyway, as 'the authorized account'", async () => {
    const uuid = await addGenericConnection(orgA, standin, "no-openid");
    unwrap(await saveSetup(orgA, { uuid, attrs: { scopes: "api" } }));
    const outcome = await completeAuthorization(orgA, { params: await consentAs(orgA, uuid, "ada") });
    expect(unwrap(outcome.result)).toEqual({ account: "the authorized account" });
    expect(unwrap(await getIntegrationByUuid(orgA, uuid))).toMatchObject({ status: "connected", account: { email: null } });
  });
});

describe("Callback attacks: each refused, nothing stored", () => {
  let uuid: string;
  beforeAll(async () => {
    uuid = await addGenericConnection(orgA, standin, "attacked");
  });

  it("missing state", async () => {
    const params = await consentAs(orgA, uuid);
    const before = await snapshot(uuid);
    params.delete("state");
    const outcome = await completeAuthorization(orgA, { params });
    expect(outcome.result.ok ? "ok" : outcome.result.error.code).toBe("oauth_state_invalid");
    expect(await snapshot(uuid)).toEqual(before);
  });

  it("reused state (and so a replayed code with it)", async () => {
    const params = await consentAs(orgA, uuid);
    expect((await completeAuthorization(orgA, { params })).result.ok).toBe(true);
    const before = await snapshot(uuid);
    const again = await completeAuthorization(orgA, { params });
    expect(again.result.ok ? "ok" : again.result.error.message).toMatch(/already used/);
    expect(await snapshot(uuid)).toEqual(before);
  });

  it("a replayed code under a fresh state is refused by the provider", async () => {
    const first = await consentAs(orgA, uuid);
    expect((await completeAuthorization(orgA, { params: first })).result.ok).toBe(true);
    const before = await snapshot(uuid);
    const fresh = new URL(unwrap(await authorizationUrl(orgA, { uuid, redirectUri: REDIRECT_URI })).url).searchParams.get("state")!;
    const replay = new URLSearchParams({ code: first.get("code")!, state: fresh, iss: first.get("iss") ?? "" });
    const outcome = await completeAuthorization(orgA, { params: replay });
    expect(outcome.result.ok ? "ok" : outcome.result.error.code).toBe("oauth_failed");
    expect(outcome.result.ok ? "" : outcome.result.error.message).toMatch(/invalid_grant/);
    expect(await snapshot(uuid)).toEqual(before);
  });

  it("a state from another operator's session (the state stays usable by its owner)", async () => {
    const params = await consentAs(orgA, uuid);
    const before = await snapshot(uuid);
    const stolen = await completeAuthorization(colleague, { params });
    expect(stolen.uuid).toBeNull();
    expect(stolen.result.ok ? "ok" : stolen.result.error.code).toBe("oauth_state_invalid");
    expect(await snapshot(uuid)).toEqual(before);
    expect((await stateRow(params.get("state")!)).usedAt).toBeNull();
    expect((await completeAuthorization(orgA, { params })).result.ok).toBe(true);
  });

  it("a state for another organization's connection", async () => {
    const params = await consentAs(orgA, uuid);
    const before = await snapshot(uuid);
    const outcome = await completeAuthorization(orgB, { params });
    expect(outcome).toMatchObject({ uuid: null, result: { ok: false, error: { code: "oauth_state_invalid" } } });
    expect(await snapshot(uuid)).toEqual(before);
  });

  it("an expired state", async () => {
    const params = await consentAs(orgA, uuid);
    const prisma = await db();
    await prisma.oAuthState.update({ where: { id: (await stateRow(params.get("state")!)).id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const before = await snapshot(uuid);
    const outcome = await completeAuthorization(orgA, { params });
    expect(outcome.result.ok ? "ok" : outcome.result.error.message).toMatch(/expired/);
    expect(await snapshot(uuid)).toEqual(before);
  });

  it("a tampered redirect_uri: the provider refuses an unregistered one, and a stored one that differs fails the exchange", async () => {
    const { url } = unwrap(await authorizationUrl(orgA, { uuid, redirectUri: "http://evil.example/api/oauth/callback" }));
    await expect(authorizeAs(url, "ada", "http://evil.example/")).rejects.toThrow(/redirect_uri/);

    const params = await consentAs(orgA, uuid);
    const prisma = await db();
    const row = await stateRow(params.get("state")!);
    await prisma.oAuthState.update({ where: { id: row.id }, data: { redirectUri: "http://127.0.0.1:9/api/oauth/callback?x=1" } });
    const before = await snapshot(uuid);
    const outcome = await completeAuthorization(orgA, { params });
    expect(outcome.result.ok ? "ok" : outcome.result.error.message).toMatch(/invalid_grant/);
    expect(await snapshot(uuid)).toEqual(before);
  });

  it("a missing or wrong PKCE verifier", async () => {
    const prisma = await db();
    for (const tamper of ["missing", "wrong"] as const) {
      const params = await consentAs(orgA, uuid);
      const row = await stateRow(params.get("state")!);
      const wrong = encryptSecret(keyRing(), { uuid: row.id, orgId: orgA.orgId }, "x".repeat(43));
      await prisma.oAuthState.update({
        where: { id: row.id },
        data: tamper === "missing" ? { codeVerifier: null, keyVersion: null } : { codeVerifier: wrong.blob, keyVersion: wrong.keyVersion },
      });
      const before = await snapshot(uuid);
      const outcome = await completeAuthorization(orgA, { params });
      expect(outcome.result.ok ? "ok" : outcome.result.error.code, tamper).toBe("oauth_failed");
      expect(await snapshot(uuid)).toEqual(before);
    }
  });

  it("a provider error= answer is reported as text, refused, nothing stored", async () => {
    const { url } = unwrap(await authorizationUrl(orgA, { uuid, redirectUri: REDIRECT_URI }));
    const state = new URL(url).searchParams.get("state")!;
    const before = await snapshot(uuid);
    const params = new URLSearchParams({ state, error: "<script>alert(1)</script>", error_description: "denied\u0000 by user" });
    const outcome = await completeAuthorization(orgA, { params });
    expect(outcome.uuid).toBe(uuid);
    expect(outcome.result.ok ? "ok" : outcome.result.error.message).toBe("The provider did not grant access: <script>alert(1)</script> — denied  by user.");
    expect(await snapshot(uuid)).toEqual(before);
  });
});
