import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { changeMemberRole, removeMember } from "@/lib/accounts/service/members";
import type { TUserContext } from "@/lib/accounts/types";
import { db } from "@/lib/db";
import { getIntegrationByUuid, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { addGenericConnection, allowLoopbackOutbound, consentAs, REDIRECT_URI, stateRow } from "../support/oauth";
import { startOidcServer, type TOidcStandin } from "../support/standins/oidc-server";
import { auditRows, unwrap } from "../support/results";
import { captureConsole, createFirstOrg, setEnv, setupTestDatabase, type ConsoleCapture, type TestDatabase } from "../support/test-db";

// The callback route handler (app/api/oauth/callback/route.ts) called
// in-process with a real oidc-provider behind it. The signed-in operator is
// a seam, as in hostile-actions.test.ts: next-auth's getServerSession answers
// with the test's user; role, org and session version are still read from
// the database by the real code (guardAdmin → loadOperator).
//
// - Gap 8: an operator who started Connect account as an admin and lost the
//   right before the provider sent the browser back is refused, and nothing
//   is stored (no code exchanged, no row or audit change, state not spent).
// - Gap 9: the authorization code and the state appear in no log line (at
//   debug level) and no audit row, on success and on each failure path.

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string }; sessionVersion: number } }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getServerSession: async () => session.current,
}));

const { GET } = await import("@/app/api/oauth/callback/route");

let testDb: TestDatabase;
let standin: TOidcStandin;
let owner: TUserContext;
let logs: ConsoleCapture;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  allowLoopbackOutbound();
  setEnv("SWITCHBOARD_LOG_LEVEL", "debug");
  logs = captureConsole();
  standin = await startOidcServer({ redirectUris: [REDIRECT_URI] });
  const ctx = await createFirstOrg();
  if (ctx.actor.type !== "user") throw new Error("expected a user");
  owner = { orgId: ctx.orgId, actor: ctx.actor };
});
afterAll(async () => {
  logs?.restore();
  setEnv("SWITCHBOARD_LOG_LEVEL", undefined);
  await standin?.close();
  await testDb?.teardown();
});

/** Another admin of the owner's org, signed in (the session seam answers with them). */
async function signedInAdmin(): Promise<TUserContext> {
  const prisma = await db();
  const user = await prisma.user.create({ data: { email: `op-${randomUUID().slice(0, 8)}@example.com`, passwordHash: "x" } });
  await prisma.membership.create({ data: { orgId: owner.orgId, userId: user.id, role: "admin" } });
  session.current = { user: { id: user.id }, sessionVersion: user.sessionVersion };
  return { orgId: owner.orgId, actor: { type: "user", id: user.id, label: user.email } };
}

function callback(params: URLSearchParams): Promise<Response> {
  return GET(new NextRequest(`${REDIRECT_URI}?${params}`));
}

/** The connection's row and the org's audit trail: "nothing stored" means neither changes. */
async function snapshot(uuid: string) {
  const prisma = await db();
  const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
  return { value: row.value, secret: Buffer.from(row.secret ?? []).toString("base64"), audits: (await auditRows(owner.orgId)).length };
}

describe("the callback re-checks the operator's edit right (gap 8)", () => {
  it("the control: an admin who is still an admin is connected and sent back to the form", async () => {
    const op = await signedInAdmin();
    const uuid = await addGenericConnection(op as TServiceContext, standin, "still-admin");
    const params = await consentAs(op as TServiceContext, uuid);
    standin.resetCounters();
    const response = await callback(params);
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get("location")!).pathname).toBe(`/admin/settings/integrations/${uuid}`);
    expect(standin.counters.codeGrants).toBe(1);
    expect(unwrap(await getIntegrationByUuid(owner, uuid)).status).toBe("connected");
  });

  it("demoted to viewer between Connect account and the callback: 403, no code exchanged, nothing stored, state not spent", async () => {
    const op = await signedInAdmin();
    const uuid = await addGenericConnection(op as TServiceContext, standin, "demoted");
    const params = await consentAs(op as TServiceContext, uuid);
    const prisma = await db();
    // The role alone changes (the session stays valid): only the role re-check can refuse.
    await prisma.membership.updateMany({ where: { orgId: owner.orgId, userId: op.actor.id }, data: { role: "viewer" } });
    const before = await snapshot(uuid);
    standin.resetCounters();

    const response = await callback(params);
    expect(response.status).toBe(403);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toContain("Only admins can change connections.");
    expect(standin.counters.codeGrants).toBe(0);
    expect(await snapshot(uuid)).toEqual(before);
    expect((await stateRow(params.get("state")!)).usedAt).toBeNull();
    expect(unwrap(await getIntegrationByUuid(owner, uuid)).status).not.toBe("connected");
  });

  it("demoted or removed through the members screen (their sessions end): 401, no code exchanged, nothing stored", async () => {
    for (const change of ["demoted", "removed"] as const) {
      const op = await signedInAdmin();
      const uuid = await addGenericConnection(op as TServiceContext, standin, `members-${change}`);
      const params = await consentAs(op as TServiceContext, uuid);
      const changed = change === "demoted" ? await changeMemberRole(owner, { userId: op.actor.id, role: "viewer" }) : await removeMember(owner, { userId: op.actor.id });
      expect(changed.ok, change).toBe(true);
      const before = await snapshot(uuid);
      standin.resetCounters();

      const response = await callback(params);
      expect(response.status, change).toBe(401);
      expect(standin.counters.codeGrants, change).toBe(0);
      const after = await snapshot(uuid);
      expect(after, change).toEqual(before);
    }
  });
});

describe("codes and states stay out of log lines and audit rows (gap 9)", () => {
  it("success, reused state, replayed code, provider error and a demoted operator: neither code nor state is logged or audited", async () => {
    const op = await signedInAdmin();
    const uuid = await addGenericConnection(op as TServiceContext, standin, "log-check");
    const seen: URLSearchParams[] = [];
    const logStart = logs.text().length;

    // Success, then the same answer again (reused state and code).
    const first = await consentAs(op as TServiceContext, uuid);
    seen.push(first);
    expect((await callback(first)).status).toBe(303);
    expect((await callback(first)).status).toBe(303);

    // The spent code under a fresh state: the provider answers invalid_grant.
    const fresh = await consentAs(op as TServiceContext, uuid);
    seen.push(fresh);
    const replay = new URLSearchParams({ code: first.get("code")!, state: fresh.get("state")!, iss: fresh.get("iss") ?? "" });
    expect((await callback(replay)).status).toBe(303);

    // A provider error= answer, and an unknown state.
    const denied = await consentAs(op as TServiceContext, uuid);
    seen.push(denied);
    expect((await callback(new URLSearchParams({ state: denied.get("state")!, error: "access_denied" }))).status).toBe(303);
    expect((await callback(new URLSearchParams({ code: denied.get("code")!, state: "A".repeat(43) }))).status).toBe(400);

    // Scopes without openid/email: the account is unreadable and that is logged (a warn line).
    const noAccount = await addGenericConnection(op as TServiceContext, standin, "log-check-no-account");
    unwrap(await saveSetup(op as TServiceContext, { uuid: noAccount, attrs: { scopes: "api" } }));
    const unreadable = await consentAs(op as TServiceContext, noAccount);
    seen.push(unreadable);
    expect((await callback(unreadable)).status).toBe(303);

    // The operator demoted before the answer came back.
    const prisma = await db();
    const demotedAnswer = await consentAs(op as TServiceContext, uuid);
    seen.push(demotedAnswer);
    await prisma.membership.updateMany({ where: { orgId: owner.orgId, userId: op.actor.id }, data: { role: "viewer" } });
    expect((await callback(demotedAnswer)).status).toBe(403);

    const secrets = seen.flatMap((p) => [p.get("code")!, p.get("state")!]);
    expect(secrets.every((s) => s.length >= 20)).toBe(true);
    const logText = logs.text().slice(logStart);
    expect(logText).toContain("connected account not readable"); // the log was captured
    const audits = JSON.stringify(await prisma.$queryRaw`SELECT * FROM audit_logs`, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    expect(audits).toContain(uuid); // the audit rows were read
    for (const s of secrets) {
      expect(logText.includes(s), `log line contains ${s.slice(0, 6)}…`).toBe(false);
      expect(audits.includes(s), `audit row contains ${s.slice(0, 6)}…`).toBe(false);
    }
  });
});
