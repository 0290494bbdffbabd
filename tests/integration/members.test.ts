import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptInvite } from "@/lib/accounts/service/accept-invite";
import { createInvite } from "@/lib/accounts/service/invites";
import { changeMemberRole, listMembers, removeMember } from "@/lib/accounts/service/members";
import { loadOperator, verifySignIn } from "@/lib/accounts/service/sign-in";
import type { TUserContext } from "@/lib/accounts/types";
import type { TRole } from "@/lib/accounts/schemas";
import { db } from "@/lib/db";
import { auditRows } from "../support/results";
import { createFirstOrg, createOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// Role changes and removal against the real database: audited, ending the
// member's sessions, and never leaving an organization without an admin,
// even when two admins act at once.

let testDb: TestDatabase;
let owner: TUserContext;
let counter = 0;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  owner = (await createFirstOrg()) as TUserContext;
});
afterAll(() => testDb.teardown());

/** A member invited by `by` and joined; returns their context and current session version. */
async function join(by: TUserContext, role: TRole): Promise<{ ctx: TUserContext; password: string; sv: number }> {
  const email = `member-${++counter}-${Date.now()}@example.com`;
  const password = `password of member ${counter}`;
  const invite = await createInvite(by, { email, role });
  if (!invite.ok) throw new Error(invite.error.message);
  const accepted = await acceptInvite({ token: invite.value.token, password, confirmPassword: password });
  if (!accepted.ok) throw new Error(accepted.error.message);
  const signedIn = (await verifySignIn(email, password))!;
  return { ctx: { orgId: by.orgId, actor: { type: "user", id: signedIn.userId, label: email } }, password, sv: signedIn.sessionVersion };
}

/** A second admin inserted directly (no password hashing): for the race tests, where only the rows matter. */
async function secondAdmin(org: TUserContext): Promise<TUserContext> {
  const prisma = await db();
  const email = `admin-${++counter}-${Date.now()}@example.com`;
  const user = await prisma.user.create({ data: { email, passwordHash: "not-a-real-hash" } });
  await prisma.membership.create({ data: { orgId: org.orgId, userId: user.id, role: "admin" } });
  return { orgId: org.orgId, actor: { type: "user", id: user.id, label: email } };
}

const roleOf = async (orgId: string, userId: string) => (await listMembers(orgId)).find((m) => m.userId === userId)?.role;

describe("members", () => {
  it("an admin changes a role: applied, audited with from/to, and the member's sessions end", async () => {
    const viewer = await join(owner, "viewer");
    expect(await changeMemberRole(owner, { userId: viewer.ctx.actor.id, role: "admin" })).toEqual({ ok: true, value: { changed: true } });
    expect(await roleOf(owner.orgId, viewer.ctx.actor.id)).toBe("admin");
    expect(await loadOperator(viewer.ctx.actor.id, viewer.sv)).toBeNull();
    expect((await auditRows(owner.orgId)).at(-1)).toMatchObject({
      action: "member_role_changed",
      targetId: viewer.ctx.actor.id,
      metadata: { email: viewer.ctx.actor.label, from: "viewer", to: "admin" },
    });
    // The same role again changes nothing and ends nothing.
    const sv = (await verifySignIn(viewer.ctx.actor.label, viewer.password))!.sessionVersion;
    expect(await changeMemberRole(owner, { userId: viewer.ctx.actor.id, role: "admin" })).toEqual({ ok: true, value: { changed: false } });
    expect(await loadOperator(viewer.ctx.actor.id, sv)).not.toBeNull();
  });

  it("an admin removes a member: the account is gone, its sessions with it, audited, and the email can be invited again", async () => {
    const viewer = await join(owner, "viewer");
    expect(await removeMember(owner, { userId: viewer.ctx.actor.id })).toEqual({ ok: true, value: null });
    expect(await loadOperator(viewer.ctx.actor.id, viewer.sv)).toBeNull();
    expect(await verifySignIn(viewer.ctx.actor.label, viewer.password)).toBeNull();
    const prisma = await db();
    expect(await prisma.user.count({ where: { id: viewer.ctx.actor.id } })).toBe(0);
    expect((await auditRows(owner.orgId)).at(-1)).toMatchObject({ action: "member_removed", metadata: { email: viewer.ctx.actor.label, role: "viewer" } });
    expect((await createInvite(owner, { email: viewer.ctx.actor.label, role: "viewer" })).ok).toBe(true);
  });

  it("never demotes or removes the last admin", async () => {
    const org = (await createOrg("Solo")) as TUserContext;
    expect(await changeMemberRole(org, { userId: org.actor.id, role: "viewer" })).toMatchObject({ ok: false, error: { code: "last_admin" } });
    expect(await removeMember(org, { userId: org.actor.id })).toMatchObject({ ok: false, error: { code: "last_admin" } });
    expect(await roleOf(org.orgId, org.actor.id)).toBe("admin");
  });

  it("two admins demoting each other at once leave exactly one admin", async () => {
    for (let round = 0; round < 5; round++) {
      const org = (await createOrg(`Pair ${round}`)) as TUserContext;
      const other = await secondAdmin(org);
      const results = await Promise.all([
        changeMemberRole(org, { userId: other.actor.id, role: "viewer" }),
        changeMemberRole(other, { userId: org.actor.id, role: "viewer" }),
      ]);
      expect(results.map((r) => (r.ok ? "ok" : r.error.code)).sort()).toEqual(["last_admin", "ok"]);
      expect((await listMembers(org.orgId)).filter((m) => m.role === "admin")).toHaveLength(1);
    }
  });

  it("two admins removing each other at once leave exactly one admin", async () => {
    const org = (await createOrg("Removal pair")) as TUserContext;
    const other = await secondAdmin(org);
    const results = await Promise.all([removeMember(org, { userId: other.actor.id }), removeMember(other, { userId: org.actor.id })]);
    expect(results.map((r) => (r.ok ? "ok" : r.error.code)).sort()).toEqual(["last_admin", "ok"]);
    expect((await listMembers(org.orgId)).filter((m) => m.role === "admin")).toHaveLength(1);
  });

  it("cannot reach a member of another organization", async () => {
    const elsewhere = (await createOrg("Elsewhere")) as TUserContext;
    expect(await changeMemberRole(owner, { userId: elsewhere.actor.id, role: "viewer" })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await removeMember(owner, { userId: elsewhere.actor.id })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await roleOf(elsewhere.orgId, elsewhere.actor.id)).toBe("admin");
  });
});
