import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, listMembers } from "@/lib/accounts/service/members";
import { createFirstAdmin, hasAnyUser } from "@/lib/accounts/service/setup";
import { verifySignIn } from "@/lib/accounts/service/sign-in";
import type { TServiceContext } from "@/lib/integrations/service";
import { auditRows } from "../support/results";
import { setupTestDatabase, type TestDatabase } from "../support/test-db";

// First-run setup, sign-in and members against the real database.

const PASSWORD = "correct horse battery staple";
let testDb: TestDatabase;
let admin: TServiceContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
});
afterAll(() => testDb.teardown());

describe("first-run setup", () => {
  it("lets exactly one of two racing setups create the organization and its admin", async () => {
    expect(await hasAnyUser()).toBe(false);
    const results = await Promise.all(
      ["first", "second"].map((who) => createFirstAdmin({ orgName: `Org ${who}`, email: `${who}@example.com`, password: PASSWORD })),
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
  });

  it("is refused once done", async () => {
    expect(await createFirstAdmin({ orgName: "Late", email: "late@example.com", password: PASSWORD })).toEqual({ ok: false, code: "setup_done" });
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

describe("members", () => {
  it("adds a viewer who can sign in, audits it without the password, and refuses the email twice", async () => {
    const result = await addMember(admin, { email: "viewer@example.com", password: "viewer password 123", role: "viewer" });
    expect(result.ok).toBe(true);
    expect(await verifySignIn("viewer@example.com", "viewer password 123")).toMatchObject({ orgId: admin.orgId, role: "viewer" });
    const audit = (await auditRows(admin.orgId)).at(-1);
    expect(audit).toMatchObject({ action: "member_added", metadata: { email: "viewer@example.com", role: "viewer" } });
    expect(JSON.stringify(audit)).not.toContain("viewer password 123");
    expect(await addMember(admin, { email: "viewer@example.com", password: "another password 1", role: "admin" })).toEqual({
      ok: false,
      code: "already_exists",
    });
  });

  it("answers already_exists (never a crash) when five admins add one email at once", async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() => addMember(admin, { email: "race@example.com", password: "race password 123", role: "viewer" })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toHaveLength(4);
    expect((await listMembers(admin.orgId)).filter((m) => m.email === "race@example.com")).toHaveLength(1);
  });
});
