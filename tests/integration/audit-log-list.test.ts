import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_PAGE_SIZE, listAuditLog, ZAuditQuery } from "@/lib/audit/service/list-audit";
import { addConnection, renameConnection, type TServiceContext } from "@/lib/integrations/service";
import { unwrap } from "../support/results";
import { createFirstOrg, createOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// The audit page's query: newest first, filtered by action and target,
// paginated, and only ever the operator's own organization.

const RENAMES = AUDIT_PAGE_SIZE + 5;
let testDb: TestDatabase;
let ctx: TServiceContext;
let other: TServiceContext;
let uuid: string;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ctx = await createFirstOrg();
  other = await createOrg("Other org");
  uuid = unwrap(await addConnection(ctx, { provider: "openai", name: "n0" })).uuid;
  for (let i = 1; i <= RENAMES; i++) unwrap(await renameConnection(ctx, { uuid, name: `n${i}` }));
  unwrap(await addConnection(other, { provider: "openai", name: "theirs" }));
}, 120_000);
afterAll(() => testDb.teardown());

const query = (input: Record<string, string>) => ZAuditQuery.parse(input);

describe("listAuditLog", () => {
  it("pages newest first with no row lost or repeated", async () => {
    const first = await listAuditLog(ctx.orgId, query({ target: uuid }));
    expect(first.rows).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.hasMore).toBe(true);
    expect(first.rows[0]).toMatchObject({ action: "connection_renamed", metadata: { to: `n${RENAMES}` } });

    const second = await listAuditLog(ctx.orgId, query({ target: uuid, page: "2" }));
    expect(second.hasMore).toBe(false);
    expect(second.page).toBe(2);
    const all = [...first.rows, ...second.rows];
    expect(all).toHaveLength(RENAMES + 1); // the renames and the add
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    expect(all.at(-1)!.action).toBe("connection_added");
    const times = all.map((r) => r.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("filters by action and by connection", async () => {
    const added = await listAuditLog(ctx.orgId, query({ action: "connection_added" }));
    expect(added.rows.map((r) => r.targetId)).toEqual([uuid]);
    const renames = await listAuditLog(ctx.orgId, query({ target: uuid.toUpperCase(), action: "connection_renamed", page: "2" }));
    expect(renames.rows).toHaveLength(RENAMES - AUDIT_PAGE_SIZE);
  });

  it("shows one organization only", async () => {
    const theirs = await listAuditLog(other.orgId, query({}));
    expect(theirs.rows.some((r) => r.targetId === uuid)).toBe(false);
    expect(theirs.rows.map((r) => r.action)).toContain("connection_added");
  });

  it("reads unusable query values as no filter instead of failing", () => {
    expect(query({ action: "drop_table", page: "-3", target: "x".repeat(500) })).toEqual({ page: 1 });
    expect(query({ target: uuid.slice(0, 13) })).toEqual({ page: 1 }); // the picker sends whole uuids only
    expect(query({ target: "/e\u0000" })).toEqual({ page: 1 });
  });
});
