import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JWT } from "next-auth/jwt";
import { changePassword } from "@/lib/accounts/service/change-password";
import { isSessionCurrent, signOutEverywhere } from "@/lib/accounts/service/sessions";
import { loadOperator, verifySignIn } from "@/lib/accounts/service/sign-in";
import type { TUserContext } from "@/lib/accounts/types";
import { authOptions } from "@/lib/auth/options";
import { SIGN_IN_LIMITS } from "@/lib/auth/sign-in-throttle";
import { auditRows } from "../support/results";
import { createFirstOrg, setEnv, setupTestDatabase, type TestDatabase } from "../support/test-db";

// Revocable sessions against the real database: the session version in the
// token is checked in currentOperator's query, and ending sessions raises it.

const PASSWORD = "correct horse battery staple";
let testDb: TestDatabase;
let admin: TUserContext;

beforeAll(async () => {
  setEnv("NEXTAUTH_SECRET", "a-test-secret-that-is-at-least-32-characters-long");
  testDb = await setupTestDatabase();
  const ctx = await createFirstOrg();
  if (ctx.actor.type !== "user") throw new Error("expected a user");
  admin = { orgId: ctx.orgId, actor: ctx.actor };
});
afterAll(() => testDb.teardown());

async function signIn(password = PASSWORD) {
  const signedIn = await verifySignIn(admin.actor.label, password);
  if (!signedIn) throw new Error("sign-in refused");
  return signedIn.sessionVersion;
}

/** next-auth's jwt callback as the session endpoint calls it. */
function jwtCallback(token: JWT, trigger?: "update") {
  return authOptions().callbacks!.jwt!({ token, trigger, user: undefined as never, account: null });
}

describe("revocable sessions", () => {
  it("a session works while its version is current, in the same query that reads the role", async () => {
    const sv = await signIn();
    expect(await loadOperator(admin.actor.id, sv)).toMatchObject({ orgId: admin.orgId, role: "admin" });
    expect(await loadOperator(admin.actor.id, sv + 1)).toBeNull();
    expect(await loadOperator(admin.actor.id, sv - 1)).toBeNull();
  });

  it("sign out everywhere ends every session of the user, and is audited", async () => {
    const sv = await signIn();
    await signOutEverywhere(admin);
    expect(await loadOperator(admin.actor.id, sv)).toBeNull();
    expect(await isSessionCurrent(admin.actor.id, sv)).toBe(false);
    const next = await signIn();
    expect(next).toBe(sv + 1);
    expect(await loadOperator(admin.actor.id, next)).not.toBeNull();
    expect((await auditRows(admin.orgId)).at(-1)).toMatchObject({ action: "sessions_revoked", actorId: admin.actor.id, targetId: admin.actor.id });
  });

  it("an ended session cannot move its idle clock: the session update refuses it", async () => {
    const sv = await signIn();
    const now = Date.now();
    const token: JWT = { uid: admin.actor.id, sv, authAt: now - 1000, activeAt: now - 1000 };
    expect((await jwtCallback(token, "update")).activeAt).toBeGreaterThanOrEqual(now);
    await signOutEverywhere(admin);
    await expect(jwtCallback(token, "update")).rejects.toThrow(/session revoked/);
    await expect(jwtCallback({ ...token, activeAt: now - 3 * 3_600_000 })).rejects.toThrow(/session idle/);
  });

  it("changing the password checks the current one, ends every session, and audits without the passwords", async () => {
    const sv = await signIn();
    const wrong = await changePassword({ ctx: admin, currentPassword: "not my password", newPassword: "a brand new password", clientAddress: "192.0.2.1" });
    expect(wrong).toMatchObject({ ok: false, error: { code: "wrong_password" } });
    expect(await loadOperator(admin.actor.id, sv)).not.toBeNull();

    const NEW = "a brand new password";
    expect(await changePassword({ ctx: admin, currentPassword: PASSWORD, newPassword: NEW, clientAddress: "192.0.2.1" })).toEqual({ ok: true, value: null });
    expect(await loadOperator(admin.actor.id, sv)).toBeNull();
    expect(await verifySignIn(admin.actor.label, PASSWORD)).toBeNull();
    expect(await verifySignIn(admin.actor.label, NEW)).not.toBeNull();
    const audit = (await auditRows(admin.orgId)).at(-1);
    expect(audit).toMatchObject({ action: "password_changed", targetId: admin.actor.id });
    expect(JSON.stringify(audit)).not.toContain(NEW);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);

    // Back, for the other tests.
    expect((await changePassword({ ctx: admin, currentPassword: NEW, newPassword: PASSWORD, clientAddress: "192.0.2.1" })).ok).toBe(true);
  });

  it("guessing the current password is throttled like a sign-in", async () => {
    const guesses = [];
    for (let i = 0; i <= SIGN_IN_LIMITS.perEmailAndAddress.points; i++) {
      guesses.push(await changePassword({ ctx: admin, currentPassword: `guess ${i}`, newPassword: "whatever password 1", clientAddress: "192.0.2.66" }));
    }
    expect(guesses.map((g) => (g.ok ? "ok" : g.error.code))).toEqual([...Array(SIGN_IN_LIMITS.perEmailAndAddress.points).fill("wrong_password"), "throttled"]);
    expect(guesses.at(-1)).toMatchObject({ error: { message: expect.stringMatching(/Try again in 15 minutes\./) } });
  });
});
