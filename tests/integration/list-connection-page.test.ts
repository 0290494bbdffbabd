import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOperator } from "@/lib/accounts/service/sign-in";
import { db, onQuery } from "@/lib/db";
import { listConnectionChoices, listConnectionPage, LIST_PAGE_SIZE } from "@/lib/integrations/service";
import { sealForRow } from "@/lib/integrations/service/connection-row";
import { createFirstOrg, createOrg, setupTestDatabase, type TestDatabase } from "@/tests/support/test-db";
import type { TServiceContext } from "@/lib/integrations/service";

// The integrations list's page query: paging, search and counting in SQL,
// scoped to the org, never reading the secret column.

let database: TestDatabase;
let orgA: TServiceContext;
let orgB: TServiceContext;

const PROVIDERS = ["openai", "anthropic", "stripe"] as const;
const A_COUNT = 123; // 3 pages: 50 + 50 + 23

/** Rows inserted directly (fast), each with a real sealed secret. */
async function insertRows(orgId: string, specs: { provider: string; name: string }[]): Promise<string[]> {
  const prisma = await db();
  const rows = specs.map(({ provider, name }) => {
    const uuid = randomUUID();
    const sealed = sealForRow({ uuid, orgId }, { api_key: `sk-${uuid}` });
    return {
      uuid,
      orgId,
      key: `integration:${provider}:${name}`,
      value: { provider, name, auth_type: "api_key", status: "connected", external_account_email: `${name}@example.com`, setup: {}, secrets_set: ["api_key"] },
      secret: sealed.secret,
      keyVersion: sealed.keyVersion,
    };
  });
  await prisma.setting.createMany({ data: rows });
  return rows.map((r) => r.uuid);
}

/** SQL statements sent while `fn` runs. */
async function statementsDuring<T>(fn: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const sql: string[] = [];
  const stop = onQuery((q) => sql.push(q));
  try {
    return { result: await fn(), sql };
  } finally {
    stop();
  }
}

/** Whether a statement reads the secret column itself (a digest of it or an IS NOT NULL test is not reading it). */
function readsSecretColumn(statement: string): boolean {
  const withoutAllowed = statement.replace(/sha256\(\s*(\w+\.)?"?secret"?\s*\)/gi, "").replace(/(\w+\.)?"?secret"?\s+IS\s+NOT\s+NULL/gi, "");
  return /(^|[^a-z_])"?secret"?([^a-z_]|$)/i.test(withoutAllowed.replace(/has_secret|secret_digest/gi, ""));
}

beforeAll(async () => {
  database = await setupTestDatabase();
  orgA = await createFirstOrg();
  orgB = await createOrg("Org B");
  const specs: { provider: string; name: string }[] = [];
  for (let i = 0; i < A_COUNT - 3; i++) specs.push({ provider: PROVIDERS[i % 3]!, name: `conn-${String(i).padStart(3, "0")}` });
  // Names that LIKE wildcards would match by accident, and a "default" that must sort first.
  specs.push({ provider: "openai", name: "default" }, { provider: "openai", name: "with_underscore" }, { provider: "anthropic", name: "plain-zzz" });
  await insertRows(orgA.orgId, specs);
  await insertRows(orgB.orgId, [
    { provider: "openai", name: "org-b-only" },
    { provider: "github_token", name: "org-b-token" },
  ]);
});

afterAll(async () => {
  await database?.teardown();
});

describe("listConnectionPage", () => {
  it("pages in SQL: every row exactly once across pages, grouped by provider with default first, the last page clamped", async () => {
    const seen: string[] = [];
    const first = await listConnectionPage(orgA, { page: 1 });
    expect(first).toMatchObject({ page: 1, pages: 3, pageSize: LIST_PAGE_SIZE, matching: A_COUNT, total: A_COUNT });
    expect(first.rows).toHaveLength(50);
    for (let page = 1; page <= 3; page++) seen.push(...(await listConnectionPage(orgA, { page })).rows.map((r) => `${r.provider}:${r.name}`));
    expect(seen).toHaveLength(A_COUNT);
    expect(new Set(seen).size).toBe(A_COUNT);
    // anthropic < openai < stripe; within openai, "default" first, then by name.
    const expected = [...seen].sort((a, b) => {
      const [pa, na] = a.split(":") as [string, string];
      const [pb, nb] = b.split(":") as [string, string];
      return pa < pb ? -1 : pa > pb ? 1 : na === "default" ? -1 : nb === "default" ? 1 : na < nb ? -1 : na > nb ? 1 : 0;
    });
    expect(seen).toEqual(expected);
    expect(seen.indexOf("openai:default")).toBe(seen.findIndex((s) => s.startsWith("openai:")));

    const last = await listConnectionPage(orgA, { page: 3 });
    expect(last.rows).toHaveLength(A_COUNT - 100);
    const beyond = await listConnectionPage(orgA, { page: 99 });
    expect(beyond.page).toBe(3);
    expect(beyond.rows.map((r) => r.uuid)).toEqual(last.rows.map((r) => r.uuid));
    expect((await listConnectionPage(orgA, { page: 0 })).page).toBe(1);
  });

  it("shows only the list's fields: no setup, no secret, secrets readable", async () => {
    const { rows } = await listConnectionPage(orgA, { page: 1, q: "default" });
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual(["account", "lastValidatedAt", "name", "provider", "secretsUnreadable", "status", "uuid", "validationStatus"]);
    expect(rows[0]).toMatchObject({ provider: "openai", name: "default", account: "default@example.com", status: "connected", secretsUnreadable: false });
    expect(JSON.stringify(rows)).not.toContain("sk-");
  });

  it("searches provider key, provider display name and connection name, case-insensitively", async () => {
    const byName = await listConnectionPage(orgA, { page: 1, q: "CONN-00" });
    expect(byName.matching).toBe(10);
    expect(byName.rows.every((r) => r.name.startsWith("conn-00"))).toBe(true);
    const byKey = await listConnectionPage(orgA, { page: 1, q: "strip" });
    expect(byKey.matching).toBe(40);
    expect(byKey.rows.every((r) => r.provider === "stripe")).toBe(true);
    // "GitHub (personal token)" is github_token's display name; "Personal" is in no key or name.
    const byDisplayName = await listConnectionPage(orgB, { page: 1, q: "Personal" });
    expect(byDisplayName.rows.map((r) => r.name)).toEqual(["org-b-token"]);
    // The catalog's counts ignore the search.
    expect(byName.countsByProvider).toEqual({ openai: 42, anthropic: 41, stripe: 40 });
    expect(byName.total).toBe(A_COUNT);
  });

  it("treats LIKE wildcards and the escape character literally", async () => {
    expect((await listConnectionPage(orgA, { page: 1, q: "%" })).matching).toBe(0);
    expect((await listConnectionPage(orgA, { page: 1, q: "\\" })).matching).toBe(0);
    expect((await listConnectionPage(orgA, { page: 1, q: "\\%" })).matching).toBe(0);
    const underscore = await listConnectionPage(orgA, { page: 1, q: "_" });
    expect(underscore.rows.map((r) => r.name)).toEqual(["with_underscore"]);
    expect((await listConnectionPage(orgA, { page: 1, q: "conn_0" })).matching).toBe(0); // "_" is not "any character"
  });

  it("an empty result for a search that matches nothing, and a query that is too long or holds control characters is ignored", async () => {
    const none = await listConnectionPage(orgA, { page: 1, q: "no-such-connection" });
    expect(none).toMatchObject({ rows: [], matching: 0, total: A_COUNT, page: 1, pages: 1, q: "no-such-connection" });
    const long = await listConnectionPage(orgA, { page: 1, q: "x".repeat(101) });
    expect(long).toMatchObject({ q: "", matching: A_COUNT });
    const nul = await listConnectionPage(orgA, { page: 1, q: "conn\u0000" });
    expect(nul).toMatchObject({ q: "", matching: A_COUNT });
  });

  it("never shows another organization's rows, counts or matches, even through q", async () => {
    for (const q of ["org-b", "github", "GitHub", "token", ""]) {
      const page = await listConnectionPage(orgA, { page: 1, q });
      expect(page.rows.some((r) => r.name.startsWith("org-b"))).toBe(false);
      expect(page.countsByProvider.github_token).toBeUndefined();
    }
    const b = await listConnectionPage(orgB, { page: 1 });
    expect(b.rows.map((r) => r.name).sort()).toEqual(["org-b-only", "org-b-token"]);
    expect(b.total).toBe(2);
    expect((await listConnectionPage(orgB, { page: 1, q: "conn" })).matching).toBe(0);
  });

  it("never selects the secret column: one statement per page once its ciphertexts are checked, and a tampered blob still shows as unreadable", async () => {
    const ctx = { orgId: orgB.orgId };
    await listConnectionPage(ctx, { page: 1 }); // checks (decrypts) this page's ciphertexts once
    const warm = await statementsDuring(() => listConnectionPage(ctx, { page: 1 }));
    expect(warm.sql).toHaveLength(1);
    for (const statement of warm.sql) expect(readsSecretColumn(statement), statement).toBe(false);
    expect(warm.sql.join("\n")).toMatch(/LIMIT/);

    // A blob copied from another row (SQL access, no key): a new digest, checked once, unreadable.
    const prisma = await db();
    const [victim, donor] = warm.result.rows;
    const donorRow = await prisma.setting.findFirstOrThrow({ where: { uuid: donor!.uuid }, select: { secret: true } });
    await prisma.setting.update({ where: { uuid: victim!.uuid }, data: { secret: donorRow.secret } });
    const after = await statementsDuring(() => listConnectionPage(ctx, { page: 1 }));
    expect(after.result.rows.find((r) => r.uuid === victim!.uuid)?.secretsUnreadable).toBe(true);
    expect(after.result.rows.find((r) => r.uuid === donor!.uuid)?.secretsUnreadable).toBe(false);
    // The list's statement never reads the blob; only the one unchecked ciphertext is fetched, by uuid.
    expect(after.sql).toHaveLength(2);
    expect(readsSecretColumn(after.sql[0]!)).toBe(false);
    expect(after.sql[1]).toMatch(/"uuid" IN \(\$\d+\)/);
  });
});

describe("a list page view's statements", () => {
  it("a first view is at most three statements (operator, page, the ciphertexts not checked yet), a later one two, and a stale session version finds nobody", async () => {
    const prisma = await db();
    if (orgA.actor.type !== "user") throw new Error("createFirstOrg acts as its admin");
    const userId = orgA.actor.id;
    const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true } });
    // Page 2's secrets changed since anyone listed them: every ciphertext on it is new to this process.
    for (const row of (await listConnectionPage(orgA, { page: 2 })).rows) {
      const sealed = sealForRow({ uuid: row.uuid, orgId: orgA.orgId }, { api_key: `sk-new-${row.uuid}` });
      await prisma.setting.update({ where: { uuid: row.uuid }, data: { secret: sealed.secret, keyVersion: sealed.keyVersion } });
    }
    const viewPage2 = () =>
      statementsDuring(async () => {
        const operator = await loadOperator(userId, user.sessionVersion);
        return listConnectionPage({ orgId: operator!.orgId }, { page: 2 });
      });
    const first = await viewPage2();
    expect(first.sql).toHaveLength(3);
    expect(first.result.rows.every((r) => !r.secretsUnreadable)).toBe(true);
    const view = await viewPage2();
    expect(view.sql).toHaveLength(2);
    expect(view.result.rows).toHaveLength(50);
    const operator = await loadOperator(userId, user.sessionVersion);
    expect(operator).toMatchObject({ orgId: orgA.orgId, orgName: "Org A", role: "admin", platformOwner: true });
    expect(await loadOperator(userId, user.sessionVersion + 1)).toBeNull();
    expect(await loadOperator("not-a-uuid")).toBeNull();
    expect(await loadOperator(randomUUID())).toBeNull();
  });
});

describe("listConnectionChoices (the API keys page's allow-list picker)", () => {
  it("lists this organization's connections by uuid, provider and name, reading neither the value nor the secret", async () => {
    const { result, sql } = await statementsDuring(() => listConnectionChoices(orgA));
    expect(result).toHaveLength(A_COUNT);
    expect(new Set(result.map((c) => c.provider))).toEqual(new Set(PROVIDERS));
    const bUuids = new Set((await listConnectionChoices(orgB)).map((c) => c.uuid));
    expect(bUuids.size).toBeGreaterThan(0);
    expect(result.filter((c) => bUuids.has(c.uuid))).toEqual([]);
    const settingsReads = sql.filter((s) => /settings/i.test(s));
    expect(settingsReads).toHaveLength(1);
    expect(readsSecretColumn(settingsReads[0]!)).toBe(false);
    expect(settingsReads[0]).not.toMatch(/"value"/);
  });
});
