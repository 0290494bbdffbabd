import { flushReadAccounting } from "@/lib/integrations/service/read-accounting";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import {
  addConnection,
  disconnect,
  getCredentials,
  removeConnection,
  renameConnection,
  saveSetup,
  type TServiceContext,
} from "@/lib/integrations/service";
import { auditRows, codeOf, missingUuid, settingsRow, unwrap } from "../support/results";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

let testDb: TestDatabase;
let ctx: TServiceContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ctx = await createFirstOrg();
});
afterAll(() => testDb.teardown());

/** Runs `fn` and returns the audit rows it added for the org. */
async function newAuditRows(fn: () => Promise<unknown>) {
  const before = (await auditRows(ctx.orgId)).length;
  await fn();
  return (await auditRows(ctx.orgId)).slice(before);
}

describe("audit log", () => {
  it("records each mutation with actor, action, target and secret-free metadata", async () => {
    const actor = ctx.actor.type === "user" ? ctx.actor : null;
    let uuid = "";
    const added = await newAuditRows(async () => {
      uuid = unwrap(await addConnection(ctx, { provider: "openai", name: "audited" })).uuid;
    });
    const saved = await newAuditRows(() => saveSetup(ctx, { uuid, attrs: { api_key: "sk-audit-secret" } }));
    // Reads are counted in memory and audited per minute with their count (read-accounting.ts); shutdown flushes the open minute.
    const read = await newAuditRows(async () => {
      await getCredentials(ctx, "openai:audited");
      await flushReadAccounting({ auditOpenMinutes: true });
    });
    const renamed = await newAuditRows(() => renameConnection(ctx, { uuid, name: "audited2" }));
    const disconnected = await newAuditRows(() => disconnect(ctx, { uuid }));
    const removed = await newAuditRows(() => removeConnection(ctx, { uuid }));

    const expectOne = (rows: typeof added, action: string, metadata: Record<string, unknown>) => {
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        orgId: ctx.orgId,
        actorType: "user",
        actorId: actor?.id,
        actorLabel: actor?.label,
        action,
        targetType: "connection",
        targetId: uuid,
        metadata,
      });
    };
    expectOne(added, "connection_added", { provider: "openai", name: "audited" });
    expectOne(saved, "setup_saved", { provider: "openai", name: "audited", fields: "api_key" });
    expectOne(read, "credentials_read", { provider: "openai", name: "audited", count: 1, minute: expect.any(String) });
    expectOne(renamed, "connection_renamed", { provider: "openai", from: "audited", to: "audited2" });
    expectOne(disconnected, "disconnected", { provider: "openai", name: "audited2" });
    expectOne(removed, "connection_removed", { provider: "openai", name: "audited2" });
    expect(JSON.stringify(await auditRows(ctx.orgId))).not.toContain("sk-audit-secret");
  });

  it("records no credentials_read for a connection that does not exist", async () => {
    const rows = await newAuditRows(async () => {
      expect(codeOf(await getCredentials(ctx, "openai:never-added"))).toBe("not_configured");
      expect(codeOf(await getCredentials(ctx, "::"))).toBe("invalid");
      await flushReadAccounting({ auditOpenMinutes: true });
    });
    expect(rows).toEqual([]);
  });

  it("records nothing when a mutation is refused", async () => {
    const uuid = unwrap(await addConnection(ctx, { provider: "twilio", name: "default" })).uuid;
    await addConnection(ctx, { provider: "twilio", name: "taken" });
    const rows = await newAuditRows(async () => {
      expect(codeOf(await addConnection(ctx, { provider: "twilio", name: "default" }))).toBe("already_exists");
      expect(codeOf(await addConnection(ctx, { provider: "twilio", name: "bad name" }))).toBe("invalid_name");
      expect(codeOf(await saveSetup(ctx, { uuid, attrs: { account_sid: "nope" } }))).toBe("invalid_setup");
      expect(codeOf(await saveSetup(ctx, { uuid: missingUuid(), attrs: {} }))).toBe("not_configured");
      expect(codeOf(await renameConnection(ctx, { uuid, name: "taken" }))).toBe("already_exists");
      expect(codeOf(await renameConnection(ctx, { uuid, name: "bad name" }))).toBe("invalid_name");
      expect(codeOf(await renameConnection(ctx, { uuid: missingUuid(), name: "x" }))).toBe("not_configured");
    });
    expect(rows).toEqual([]);
  });

  it("is written in the same transaction: when the audit insert fails, the change is rolled back", async () => {
    const uuid = unwrap(await addConnection(ctx, { provider: "openai", name: "atomic" })).uuid;
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-before" } }));
    const before = await settingsRow(uuid);
    const prisma = await db();
    // A trigger that refuses every further audit row about this connection.
    await prisma.$executeRawUnsafe(`
      CREATE FUNCTION refuse_audit_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.target_id = '${uuid}' THEN RAISE EXCEPTION 'audit refused by test'; END IF;
        RETURN NEW;
      END $$`);
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_audit_for_test BEFORE INSERT ON audit_logs FOR EACH ROW EXECUTE FUNCTION refuse_audit_for_test()`,
    );
    try {
      await expect(saveSetup(ctx, { uuid, attrs: { api_key: "sk-after" } })).rejects.toThrow(/audit refused/);
      await expect(renameConnection(ctx, { uuid, name: "atomic2" })).rejects.toThrow(/audit refused/);
      await expect(disconnect(ctx, { uuid })).rejects.toThrow(/audit refused/);
      await expect(removeConnection(ctx, { uuid })).rejects.toThrow(/audit refused/);
      expect(await settingsRow(uuid)).toEqual(before);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER refuse_audit_for_test ON audit_logs`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION refuse_audit_for_test()`);
    }
  });
});
