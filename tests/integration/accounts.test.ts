import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { acceptInvite, describeInvite } from "@/lib/accounts/service/accept-invite";
import { createInvite, listPendingInvites, revokeInvite } from "@/lib/accounts/service/invites";
import { listMembers } from "@/lib/accounts/service/members";
import { createFirstAdmin, hasAnyUser } from "@/lib/accounts/service/setup";
import { isSetupTokenValid, issueSetupToken } from "@/lib/accounts/service/setup-token";
import { verifySignIn } from "@/lib/accounts/service/sign-in";
import type { TServiceContext } from "@/lib/integrations/service";
import { auditRows } from "../support/results";
import { createOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";
import { db } from "@/lib/db";
import type { TUserContext } from "@/lib/accounts/types";

// First-run setup, sign-in and invites against the real database.

const PASSWORD = "correct horse battery staple";
let testDb: TestDatabase;
let admin: TServiceContext;
const adminUser = () => admin as TUserContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
});
afterAll(() => testDb.teardown());

describe("first-run setup", () => {
  it("refuses without the printed setup token, and changes nothing", async () => {
    expect(await issueSetupToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const forged = randomBytes(32).toString("base64url");
    expect(await createFirstAdmin({ token: forged, orgName: "Taken over", email: "intruder@example.com", password: PASSWORD })).toEqual({
      ok: false,
      code: "invalid_setup_token",
    });
    expect(await hasAnyUser()).toBe(false);
    const prisma = await db();
    expect(await prisma.organization.count()).toBe(0);
  });

  it("lets exactly one of two racing setups create the organization and its admin, and the token dies with it", async () => {
    const token = (await issueSetupToken())!;
    const prisma = await db();
    expect(await prisma.setupToken.count()).toBe(2); // one per start: both links work until setup is done
    expect(JSON.stringify(await prisma.setupToken.findMany())).not.toContain(token);
    const results = await Promise.all(
      ["first", "second"].map((who) => createFirstAdmin({ token, orgName: `Org ${who}`, email: `${who}@example.com`, password: PASSWORD })),
    );
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, code: "setup_done" }]);
    const win = winners[0]!;
    if (!win.ok) return;
    const members = await listMembers(win.orgId);
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ role: "admin" });
    admin = { orgId: win.orgId, actor: { type: "user", id: win.userId, label: members[0]!.email } };
    expect((await auditRows(win.orgId)).map((r) => r.action)).toEqual(["org_created"]);

    // Every setup token is gone, and no new one is issued.
    expect(await prisma.setupToken.count()).toBe(0);
    expect(await isSetupTokenValid(token)).toBe(false);
    expect(await issueSetupToken()).toBeNull();
  });

  it("is refused once done", async () => {
    const token = randomBytes(32).toString("base64url");
    expect(await createFirstAdmin({ token, orgName: "Late", email: "late@example.com", password: PASSWORD })).toEqual({ ok: false, code: "setup_done" });
  });
});

describe("sign-in", () => {
  it("accepts the right password only, and says nothing about which part was wrong", async () => {
    const email = admin.actor.label;
    expect(await verifySignIn(email, PASSWORD)).toMatchObject({ orgId: admin.orgId, role: "admin" });
    expect(await verifySignIn(email, "wrong password!")).toBeNull();
    expect(await verifySignIn("nobody@example.com", PASSWORD)).toBeNull();
  });
});

describe("invites", () => {
  const invite = async (email: string, role: "admin" | "viewer" = "viewer") => {
    const result = await createInvite(adminUser(), { email, role });
    if (!result.ok) throw new Error(result.error.message);
    return result.value.token;
  };
  const accept = (token: string, password = "invited password 1") => acceptInvite({ token, password, confirmPassword: password, name: "Invited" });

  it("invites a viewer, who sets a password once and signs in; audited without the token or the password", async () => {
    const token = await invite("viewer@example.com");
    expect(await describeInvite(token)).toMatchObject({ email: "viewer@example.com", role: "viewer", orgName: expect.stringMatching(/^Org (first|second)$/) });
    expect(await accept(token, "viewer password 123")).toEqual({ ok: true, value: { email: "viewer@example.com" } });
    expect(await verifySignIn("viewer@example.com", "viewer password 123")).toMatchObject({ orgId: admin.orgId, role: "viewer" });
    // Single use.
    expect(await describeInvite(token)).toBeNull();
    expect(await accept(token, "another password 1")).toMatchObject({ ok: false, error: { code: "invalid_invite" } });
    const audit = await auditRows(admin.orgId);
    expect(audit.map((r) => r.action).slice(-2)).toEqual(["member_invited", "invite_accepted"]);
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain("viewer password 123");
  });

  it("stores only the token's hash", async () => {
    const token = await invite("hashed@example.com");
    const prisma = await db();
    const row = await prisma.invite.findFirstOrThrow({ where: { email: "hashed@example.com" } });
    expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it("answers the same whether or not the email has an account elsewhere, and never touches that account", async () => {
    const elsewhere = await createOrg("Elsewhere");
    const fresh = await createInvite(adminUser(), { email: "nobody-yet@example.com", role: "viewer" });
    const taken = await createInvite(adminUser(), { email: elsewhere.actor.label, role: "viewer" });
    expect(fresh.ok && taken.ok).toBe(true);
    if (!fresh.ok || !taken.ok) return;
    expect(Object.keys(taken.value).sort()).toEqual(Object.keys(fresh.value).sort());
    const prisma = await db();
    const before = await prisma.user.findUniqueOrThrow({ where: { email: elsewhere.actor.label } });
    expect(await accept(taken.value.token)).toMatchObject({ ok: false, error: { code: "account_exists" } });
    const after = await prisma.user.findUniqueOrThrow({ where: { email: elsewhere.actor.label } });
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(await prisma.membership.count({ where: { userId: after.id } })).toBe(1);
  });

  it("refuses a member of this organization, and a newer invite replaces the older one", async () => {
    expect(await createInvite(adminUser(), { email: "viewer@example.com", role: "admin" })).toMatchObject({ ok: false, error: { code: "already_member" } });
    const first = await invite("twice@example.com");
    const second = await invite("twice@example.com");
    expect(await describeInvite(first)).toBeNull();
    expect((await listPendingInvites(admin.orgId)).filter((i) => i.email === "twice@example.com")).toHaveLength(1);
    expect((await accept(second)).ok).toBe(true);
  });

  it("a revoked or expired link does not work", async () => {
    const revoked = await invite("revoked@example.com");
    const pending = (await listPendingInvites(admin.orgId)).find((i) => i.email === "revoked@example.com")!;
    expect(await revokeInvite(adminUser(), pending.id)).toEqual({ ok: true, value: null });
    expect(await revokeInvite(adminUser(), pending.id)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await accept(revoked)).toMatchObject({ ok: false, error: { code: "invalid_invite" } });

    const expired = await invite("expired@example.com");
    const prisma = await db();
    await prisma.invite.updateMany({ where: { email: "expired@example.com" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await accept(expired)).toMatchObject({ ok: false, error: { code: "invalid_invite" } });
    expect(await prisma.user.count({ where: { email: { in: ["revoked@example.com", "expired@example.com"] } } })).toBe(0);
  });

  it("one link opened five times at once makes exactly one account", async () => {
    const token = await invite("race@example.com");
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => accept(token, `race password ${i}0`)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(Array(4).fill("invalid_invite"));
    expect((await listMembers(admin.orgId)).filter((m) => m.email === "race@example.com")).toHaveLength(1);
  });
});
