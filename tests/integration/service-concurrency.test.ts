import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addConnection,
  listConnections,
  renameConnection,
  saveSetup,
  getCredentials,
  type TServiceContext,
} from "@/lib/integrations/service";
import { auditRows, codeOf, unwrap } from "../support/results";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

let testDb: TestDatabase;
let ctx: TServiceContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ctx = await createFirstOrg();
});
afterAll(() => testDb.teardown());

function tally(codes: string[]): Record<string, number> {
  return codes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {});
}

describe("concurrency", () => {
  it("20 parallel addConnection calls with one name create exactly one row; 19 get already_exists", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => addConnection(ctx, { provider: "openai", name: "race" })),
    );
    expect(tally(results.map(codeOf))).toEqual({ ok: 1, already_exists: 19 });
    const rows = await listConnections(ctx, "openai");
    expect(rows.map((c) => c.name)).toEqual(["race"]);
    const added = (await auditRows(ctx.orgId)).filter((a) => a.action === "connection_added");
    expect(added).toHaveLength(1);
  });

  it("two renames racing to one name: exactly one wins, the other gets already_exists", async () => {
    const a = unwrap(await addConnection(ctx, { provider: "anthropic", name: "first" })).uuid;
    const b = unwrap(await addConnection(ctx, { provider: "anthropic", name: "second" })).uuid;
    const results = await Promise.all([
      renameConnection(ctx, { uuid: a, name: "winner" }),
      renameConnection(ctx, { uuid: b, name: "winner" }),
    ]);
    expect(results.map(codeOf).sort()).toEqual(["already_exists", "ok"]);
    const names = (await listConnections(ctx, "anthropic")).map((c) => c.name).sort();
    expect(names).toHaveLength(2);
    expect(names).toContain("winner");
    expect(names.filter((n) => n === "winner")).toHaveLength(1);
    const renamed = (await auditRows(ctx.orgId)).filter((r) => r.action === "connection_renamed");
    expect(renamed).toHaveLength(1);
  });

  it("an add and renames racing to one name: one row gets it, every loser gets already_exists (never a crash)", async () => {
    for (let round = 0; round < 5; round++) {
      const name = `contested-${round}`;
      const movers = await Promise.all([1, 2].map(async (i) => unwrap(await addConnection(ctx, { provider: "groq", name: `mover-${round}-${i}` })).uuid));
      const results = await Promise.all([
        addConnection(ctx, { provider: "groq", name }),
        ...movers.map((uuid) => renameConnection(ctx, { uuid, name })),
      ]);
      expect(results.map(codeOf).sort()).toEqual(["already_exists", "already_exists", "ok"]);
      expect((await listConnections(ctx, "groq")).filter((c) => c.name === name)).toHaveLength(1);
    }
  });

  it("parallel saveSetup calls on one connection never lose each other's fields", async () => {
    const uuid = unwrap(await addConnection(ctx, { provider: "aws_ses", name: "default" })).uuid;
    unwrap(await saveSetup(ctx, { uuid, attrs: { access_key_id: "AKIA0", secret_access_key: "s0", region: "us-east-1" } }));
    const results = await Promise.all([
      saveSetup(ctx, { uuid, attrs: { region: "eu-west-1" } }),
      saveSetup(ctx, { uuid, attrs: { from_email: "ops@example.com" } }),
      saveSetup(ctx, { uuid, attrs: { secret_access_key: "s1" } }),
    ]);
    expect(results.map(codeOf)).toEqual(["ok", "ok", "ok"]);
    expect(unwrap(await getCredentials(ctx, uuid)).credentials).toEqual({
      access_key_id: "AKIA0",
      secret_access_key: "s1",
      region: "eu-west-1",
      from_email: "ops@example.com",
    });
  });
});
