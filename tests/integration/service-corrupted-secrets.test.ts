import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import {
  addConnection,
  disconnect,
  getCredentials,
  getIntegrationByUuid,
  listIntegrations,
  removeConnection,
  saveSetup,
  type TServiceContext,
} from "@/lib/integrations/service";
import { auditRows, codeOf, settingsRow, unwrap } from "../support/results";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// A tampered or foreign ciphertext answers `corrupted_state` (never a thrown
// DecryptError); the connection shows as unreadable, and the operator can
// replace every secret, disconnect or remove it without decrypting anything.

let testDb: TestDatabase;
let ctx: TServiceContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ctx = await createFirstOrg();
});
afterAll(() => testDb.teardown());

/** Each tampering is plain SQL against the row, as someone with database access would do it. */
const TAMPERINGS: Record<string, (uuid: string, donor: string) => Promise<unknown>> = {
  "a blob copied from another row": async (uuid, donor) =>
    (await db()).$executeRaw`UPDATE settings SET secret = (SELECT secret FROM settings WHERE uuid = ${donor}::uuid) WHERE uuid = ${uuid}::uuid`,
  "a flipped byte": async (uuid) =>
    (await db()).$executeRaw`UPDATE settings SET secret = set_byte(secret, 20, get_byte(secret, 20) # 1) WHERE uuid = ${uuid}::uuid`,
  "an unknown key version": async (uuid) => (await db()).$executeRaw`UPDATE settings SET key_version = 99 WHERE uuid = ${uuid}::uuid`,
  "a NULL key version": async (uuid) => (await db()).$executeRaw`UPDATE settings SET key_version = NULL WHERE uuid = ${uuid}::uuid`,
  "a blob removed while secrets are named": async (uuid) =>
    (await db()).$executeRaw`UPDATE settings SET secret = NULL, key_version = NULL WHERE uuid = ${uuid}::uuid`,
};

let donor: string;
beforeAll(async () => {
  donor = unwrap(await addConnection(ctx, { provider: "openai", name: "donor" })).uuid;
  unwrap(await saveSetup(ctx, { uuid: donor, attrs: { api_key: "sk-donor-canary" } }));
});

async function tampered(provider: string, name: string, attrs: Record<string, string>, how: string): Promise<string> {
  const uuid = unwrap(await addConnection(ctx, { provider, name })).uuid;
  unwrap(await saveSetup(ctx, { uuid, attrs }));
  await TAMPERINGS[how]!(uuid, donor);
  return uuid;
}

const countAudits = async () => (await auditRows(ctx.orgId)).length;

describe.each(Object.keys(TAMPERINGS))("secrets made unreadable by %s", (how) => {
  const slug = how.replace(/[^a-z]+/gi, "-").slice(0, 40);

  it("getCredentials answers corrupted_state, writes no audit row; the list and the connection say unreadable", async () => {
    const uuid = await tampered("openai", `read-${slug}`, { api_key: "sk-read-canary" }, how);
    const audits = await countAudits();
    const result = await getCredentials(ctx, uuid);
    expect(codeOf(result)).toBe("corrupted_state");
    expect(JSON.stringify(result)).not.toMatch(/canary/);
    expect(await countAudits()).toBe(audits);

    expect(unwrap(await getIntegrationByUuid(ctx, uuid))).toMatchObject({ secretsUnreadable: true, secretsSet: ["api_key"] });
    const listed = (await listIntegrations(ctx)).find((c) => c.uuid === uuid);
    expect(listed?.secretsUnreadable).toBe(true);
    expect((await listIntegrations(ctx)).find((c) => c.uuid === donor)?.secretsUnreadable).toBe(false);
  });

  it("saveSetup refuses to keep what it cannot read, then replaces every secret without decrypting the old ones", async () => {
    const uuid = await tampered("openai", `save-${slug}`, { api_key: "sk-save-canary" }, how);
    const before = await settingsRow(uuid);
    const audits = await countAudits();
    const kept = await saveSetup(ctx, { uuid, attrs: { api_key: "" } });
    expect(codeOf(kept)).toBe("corrupted_state");
    expect(kept.ok ? null : kept.error.fields).toEqual({ api_key: "The stored value cannot be read: type it again." });
    expect(await settingsRow(uuid)).toEqual(before);
    expect(await countAudits()).toBe(audits);

    const replaced = unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-replaced" } }));
    expect(replaced).toMatchObject({ secretsUnreadable: false, secretsSet: ["api_key"], status: "configured" });
    expect(unwrap(await getCredentials(ctx, uuid)).credentials).toEqual({ api_key: "sk-replaced" });
    const audit = (await auditRows(ctx.orgId)).filter((r) => r.action === "setup_saved").at(-1);
    expect(audit?.metadata).toMatchObject({ replacedUnreadable: true, fields: "api_key" });
  });

  it("an optional unreadable secret is either typed again or removed on purpose", async () => {
    const uuid = await tampered("smtp", `opt-${slug}`, { host: "smtp.example.com", username: "u", password: "smtp-canary" }, how);
    expect(codeOf(await saveSetup(ctx, { uuid, attrs: { port: "2525" } }))).toBe("corrupted_state");
    const removed = unwrap(await saveSetup(ctx, { uuid, attrs: { port: "2525" }, clear: ["password"] }));
    expect(removed).toMatchObject({ secretsUnreadable: false, secretsSet: [] });
    expect(unwrap(await getCredentials(ctx, uuid)).credentials).toEqual(expect.objectContaining({ host: "smtp.example.com", port: "2525" }));
  });

  it("disconnect: an API key connection needs nothing decrypted; OAuth must be told to drop the unreadable client secret", async () => {
    const key = await tampered("openai", `disc-${slug}`, { api_key: "sk-disc-canary" }, how);
    expect(unwrap(await disconnect(ctx, { uuid: key }))).toEqual({ disconnected: true });
    expect(unwrap(await getIntegrationByUuid(ctx, key))).toMatchObject({ secretsUnreadable: false, secretsSet: [], status: "disconnected" });

    const oauth = await tampered("google", `disc-oauth-${slug}`, { client_id: "cid.apps.googleusercontent.com", client_secret: "g-canary" }, how);
    const before = await settingsRow(oauth);
    const refused = await disconnect(ctx, { uuid: oauth });
    expect(codeOf(refused)).toBe("corrupted_state");
    expect(await settingsRow(oauth)).toEqual(before);
    expect(unwrap(await disconnect(ctx, { uuid: oauth, discardUnreadable: true }))).toEqual({ disconnected: true });
    const row = await settingsRow(oauth);
    expect(row).toMatchObject({ secret: null, keyVersion: null });
    expect(unwrap(await getIntegrationByUuid(ctx, oauth))).toMatchObject({ secretsUnreadable: false, secretsSet: [], setup: { client_id: "cid.apps.googleusercontent.com" } });
    expect((await auditRows(ctx.orgId)).at(-1)).toMatchObject({ action: "disconnected", metadata: { discardedUnreadable: true } });
  });

  it("removeConnection removes it like any other", async () => {
    const uuid = await tampered("openai", `rm-${slug}`, { api_key: "sk-rm-canary" }, how);
    expect(unwrap(await removeConnection(ctx, { uuid }))).toEqual({ removed: true });
    expect(await settingsRow(uuid)).toBeNull();
  });
});
