import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addConnection,
  getCredentials,
  renameConnection,
  resolveToUuid,
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

async function newConnection(provider: string, name: string): Promise<string> {
  return unwrap(await addConnection(ctx, { provider, name })).uuid;
}

describe("renameConnection", () => {
  it("renames in place: same uuid, new key column and JSON name, secrets still readable", async () => {
    const uuid = await newConnection("openrouter", "default");
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "or-key" } }));
    const renamed = unwrap(await renameConnection(ctx, { uuid, name: " work " }));
    expect(renamed).toMatchObject({ uuid, provider: "openrouter", name: "work", status: "configured" });

    const row = await settingsRow(uuid);
    expect(row?.key).toBe("integration:openrouter:work");
    expect(row?.value).toMatchObject({ provider: "openrouter", name: "work" });
    expect(unwrap(await getCredentials(ctx, uuid)).credentials).toEqual({ api_key: "or-key" });
    expect(unwrap(await resolveToUuid(ctx, "openrouter:work"))).toBe(uuid);
    expect(codeOf(await resolveToUuid(ctx, "openrouter:default"))).toBe("not_found");
  });

  it("is a no-op for the current name: nothing written, no audit row", async () => {
    const uuid = await newConnection("openrouter", "same");
    const before = await settingsRow(uuid);
    const audits = (await auditRows(ctx.orgId)).length;
    expect(unwrap(await renameConnection(ctx, { uuid, name: "same" }))).toMatchObject({ uuid, name: "same" });
    expect(await settingsRow(uuid)).toEqual(before);
    expect(await auditRows(ctx.orgId)).toHaveLength(audits);
  });

  it("answers already_exists when the provider already has a connection with that name", async () => {
    const a = await newConnection("brevo", "alpha");
    await newConnection("brevo", "beta");
    expect(codeOf(await renameConnection(ctx, { uuid: a, name: "beta" }))).toBe("already_exists");
    expect((await settingsRow(a))?.key).toBe("integration:brevo:alpha");
    // The name is only taken per provider.
    await newConnection("sendgrid", "gamma");
    expect(codeOf(await renameConnection(ctx, { uuid: a, name: "gamma" }))).toBe("ok");
  });

  it("answers invalid_name / empty_name and leaves the row alone", async () => {
    const uuid = await newConnection("brevo", "valid");
    for (const name of ["bad name", "-x", "a:b", "A".repeat(65)]) {
      expect(codeOf(await renameConnection(ctx, { uuid, name }))).toBe("invalid_name");
    }
    expect(codeOf(await renameConnection(ctx, { uuid, name: "  " }))).toBe("empty_name");
    expect((await settingsRow(uuid))?.key).toBe("integration:brevo:valid");
  });

  it("answers not_configured for a uuid that names no row, invalid_uuid for a malformed one", async () => {
    expect(codeOf(await renameConnection(ctx, { uuid: missingUuid(), name: "x" }))).toBe("not_configured");
    expect(codeOf(await renameConnection(ctx, { uuid: "garbage", name: "x" }))).toBe("invalid_uuid");
  });

  it("accepts an upper-case uuid", async () => {
    const uuid = await newConnection("brevo", "upper");
    expect(unwrap(await renameConnection(ctx, { uuid: uuid.toUpperCase(), name: "lower" }))).toMatchObject({ uuid });
  });
});
