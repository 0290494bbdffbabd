import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import {
  addConnection,
  disconnect,
  findUuidByProviderName,
  getCredentials,
  getIntegrationByUuid,
  listConnections,
  listIntegrations,
  loadAllConnections,
  removeConnection,
  renameConnection,
  resolveToUuid,
  saveSetup,
  type TServiceContext,
} from "@/lib/integrations/service";
import { auditRows, codeOf, settingsRow, unwrap } from "../support/results";
import { createFirstOrg, createOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

let testDb: TestDatabase;
let orgA: TServiceContext;
let orgB: TServiceContext;
let uuidA: string;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  orgA = await createFirstOrg();
  orgB = await createOrg("Org B");
  uuidA = unwrap(await addConnection(orgA, { provider: "openai", name: "default" })).uuid;
  unwrap(await saveSetup(orgA, { uuid: uuidA, attrs: { api_key: "sk-org-a-only" } }));
});
afterAll(() => testDb.teardown());

describe("organization isolation: org B and org A's connection", () => {
  it("cannot read it by uuid, provider:name or bare provider", async () => {
    expect(codeOf(await getIntegrationByUuid(orgB, uuidA))).toBe("not_configured");
    expect(codeOf(await getCredentials(orgB, uuidA))).toBe("not_configured");
    expect(codeOf(await getCredentials(orgB, "openai:default"))).toBe("not_configured");
    expect(codeOf(await resolveToUuid(orgB, uuidA))).toBe("not_found");
    expect(codeOf(await resolveToUuid(orgB, "openai"))).toBe("not_found");
    expect(codeOf(await findUuidByProviderName(orgB, ["openai", "default"]))).toBe("not_found");
  });

  it("does not see it in any list", async () => {
    expect(await listConnections(orgB, "openai")).toEqual([]);
    expect(await listIntegrations(orgB)).toEqual([]);
    expect(await loadAllConnections(orgB, ["openai"])).toEqual({ openai: [] });
  });

  it("cannot change it: every write behaves as not found, and nothing changes (row or audit)", async () => {
    const rowBefore = await settingsRow(uuidA);
    const auditA = (await auditRows(orgA.orgId)).length;

    expect(codeOf(await saveSetup(orgB, { uuid: uuidA, attrs: { api_key: "sk-hijack" } }))).toBe("not_configured");
    expect(codeOf(await renameConnection(orgB, { uuid: uuidA, name: "hijacked" }))).toBe("not_configured");
    expect(unwrap(await disconnect(orgB, { uuid: uuidA }))).toEqual({ disconnected: false });
    expect(unwrap(await removeConnection(orgB, { uuid: uuidA }))).toEqual({ removed: false });

    expect(await settingsRow(uuidA)).toEqual(rowBefore);
    expect(await auditRows(orgA.orgId)).toHaveLength(auditA);
    expect(await auditRows(orgB.orgId)).toEqual([]);
    expect(unwrap(await getCredentials(orgA, uuidA)).credentials).toEqual({ api_key: "sk-org-a-only" });
  });

  it("can use the same provider and name for its own, separate connection", async () => {
    const uuidB = unwrap(await addConnection(orgB, { provider: "openai", name: "default" })).uuid;
    expect(uuidB).not.toBe(uuidA);
    unwrap(await saveSetup(orgB, { uuid: uuidB, attrs: { api_key: "sk-org-b" } }));
    expect(unwrap(await getCredentials(orgB, "openai")).credentials).toEqual({ api_key: "sk-org-b" });
    expect(unwrap(await getCredentials(orgA, "openai")).credentials).toEqual({ api_key: "sk-org-a-only" });
  });

  it("cannot decrypt a blob copied from org A's row into its own (AAD binds row and org)", async () => {
    const prisma = await db();
    const uuidB = unwrap(await resolveToUuid(orgB, "openai"));
    const stolen = await settingsRow(uuidA);
    await prisma.setting.update({ where: { uuid: uuidB }, data: { secret: stolen!.secret, keyVersion: stolen!.keyVersion } });
    const result = await getCredentials(orgB, uuidB);
    expect(codeOf(result)).toBe("corrupted_state");
    expect(JSON.stringify(result)).not.toContain("sk-org-a-only");
  });
});
