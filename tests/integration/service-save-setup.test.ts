import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addConnection, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { openRowSecrets } from "@/lib/integrations/service/connection-row";
import { db } from "@/lib/db";
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

/** Everything stored for the connection: setup fields and decrypted secrets (getCredentials withholds OAuth's refresh token and client secret). */
async function credentialsOf(uuid: string): Promise<Record<string, string>> {
  const row = (await settingsRow(uuid))!;
  const opened = openRowSecrets(row);
  if (!opened.ok) throw new Error(`secrets unreadable: ${opened.reason}`);
  return { ...(row.value as { setup: Record<string, string> }).setup, ...opened.secrets };
}

const SES = { access_key_id: "AKIAEXAMPLE", secret_access_key: "ses-secret-1", region: "us-east-1", from_email: "a@example.com" };

describe("saveSetup", () => {
  it("moves an api_key connection from disconnected to configured and encrypts the key apart from the JSON", async () => {
    const uuid = await newConnection("openai", "default");
    const saved = unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-save-setup-secret-1" } }));
    expect(saved).toMatchObject({ uuid, status: "configured", secretsSet: ["api_key"], setup: {} });
    expect(JSON.stringify(saved)).not.toContain("sk-save-setup-secret-1");

    const row = await settingsRow(uuid);
    expect(JSON.stringify(row?.value)).not.toContain("sk-save-setup-secret-1");
    expect(row?.secret).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(row!.secret!).includes("sk-save-setup-secret-1")).toBe(false);
    expect(row?.keyVersion).toBe(1);
    expect(await credentialsOf(uuid)).toEqual({ api_key: "sk-save-setup-secret-1" });
  });

  it("keeps the stored secret when the secret field is submitted empty", async () => {
    const uuid = await newConnection("openai", "keep-secret");
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-keep-me" } }));
    const again = unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "" } }));
    expect(again).toMatchObject({ status: "configured", secretsSet: ["api_key"] });
    expect(await credentialsOf(uuid)).toEqual({ api_key: "sk-keep-me" });
  });

  it("merges: fields left out keep their stored values, submitted ones replace them", async () => {
    const uuid = await newConnection("aws_ses", "default");
    unwrap(await saveSetup(ctx, { uuid, attrs: SES }));
    const merged = unwrap(await saveSetup(ctx, { uuid, attrs: { region: "eu-west-1" } }));
    expect(merged.setup).toEqual({ access_key_id: "AKIAEXAMPLE", region: "eu-west-1", from_email: "a@example.com" });
    expect(merged.secretsSet).toEqual(["secret_access_key"]);
    expect(await credentialsOf(uuid)).toEqual({ ...SES, region: "eu-west-1" });

    // A submitted empty optional field clears it; a new secret replaces the old one.
    const cleared = unwrap(await saveSetup(ctx, { uuid, attrs: { from_email: "", secret_access_key: "ses-secret-2" } }));
    expect(cleared.setup).toEqual({ access_key_id: "AKIAEXAMPLE", region: "eu-west-1" });
    expect((await credentialsOf(uuid)).secret_access_key).toBe("ses-secret-2");
  });

  it("answers invalid_setup with per-field errors that never echo the input, and changes nothing", async () => {
    const uuid = await newConnection("twilio", "default");
    const before = await settingsRow(uuid);
    const result = await saveSetup(ctx, {
      uuid,
      attrs: { account_sid: "XX-not-a-sid-canary", key_sid: "SKabc", key_secret: "twilio-secret-canary" },
    });
    expect(codeOf(result)).toBe("invalid_setup");
    if (result.ok) return;
    expect(Object.keys(result.error.fields ?? {})).toEqual(["account_sid"]);
    expect(JSON.stringify(result.error)).not.toMatch(/canary/);
    expect(await settingsRow(uuid)).toEqual(before);

    const missing = await saveSetup(ctx, { uuid: await newConnection("openai", "no-key"), attrs: { api_key: "" } });
    expect(missing.ok ? {} : missing.error.fields).toHaveProperty("api_key");
  });

  it("answers not_configured for a uuid that names no row, invalid_uuid for a malformed one", async () => {
    expect(codeOf(await saveSetup(ctx, { uuid: missingUuid(), attrs: { api_key: "x" } }))).toBe("not_configured");
    expect(codeOf(await saveSetup(ctx, { uuid: "not-a-uuid", attrs: { api_key: "x" } }))).toBe("invalid_uuid");
  });

  it("keeps oauth2 connections disconnected until a token exists, and never stores unknown fields", async () => {
    const uuid = await newConnection("google", "default");
    const saved = unwrap(
      await saveSetup(ctx, {
        uuid,
        attrs: { client_id: "cid.apps.googleusercontent.com", client_secret: "gsecret", access_token: "injected" },
      }),
    );
    expect(saved).toMatchObject({ status: "disconnected", secretsSet: ["client_secret"] });
    expect(saved.setup).toEqual({ client_id: "cid.apps.googleusercontent.com" });
    expect(await credentialsOf(uuid)).toEqual({ client_id: "cid.apps.googleusercontent.com", client_secret: "gsecret" });
  });

  it("moves a credentials connection (smtp) to configured once its required fields exist", async () => {
    const uuid = await newConnection("smtp", "default");
    const saved = unwrap(await saveSetup(ctx, { uuid, attrs: { host: "smtp.example.com", username: "u", password: "pw" } }));
    expect(saved).toMatchObject({ status: "configured", secretsSet: ["password"] });
    expect(saved.setup).toMatchObject({ host: "smtp.example.com", username: "u", security: "starttls" });
  });

  it("keeps the stored secret when only spaces are typed", async () => {
    const uuid = await newConnection("openai", "spaces");
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-spaces-keep" } }));
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "   " } }));
    expect(await credentialsOf(uuid)).toEqual({ api_key: "sk-spaces-keep" });
  });

  it("clears a stored optional secret on request, so the other form of the setup can take over", async () => {
    const uuid = await newConnection("postgresql", "switch");
    unwrap(await saveSetup(ctx, { uuid, attrs: { connection_string: "postgresql://u:pw@db.example.com/app" } }));
    const switched = unwrap(
      await saveSetup(ctx, { uuid, attrs: { host: "db.example.com", database: "app", user: "u", password: "pw2" }, clear: ["connection_string"] }),
    );
    expect(switched.secretsSet).toEqual(["password"]);
    expect(await credentialsOf(uuid)).not.toHaveProperty("connection_string");
  });

  it("refuses to clear a required secret, and changes nothing", async () => {
    const uuid = await newConnection("openai", "must-keep");
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-required" } }));
    const before = await settingsRow(uuid);
    const result = await saveSetup(ctx, { uuid, attrs: {}, clear: ["api_key"] });
    expect(codeOf(result)).toBe("invalid_setup");
    expect(await settingsRow(uuid)).toEqual(before);
  });

  it("makes a credentials connection without any secret configured (an SMTP relay with no login)", async () => {
    const uuid = await newConnection("smtp", "relay");
    const saved = unwrap(await saveSetup(ctx, { uuid, attrs: { host: "relay.example.com", port: "25" } }));
    expect(saved).toMatchObject({ status: "configured", secretsSet: [] });
  });

  it("audits the provider's fields that changed, not whatever keys were sent", async () => {
    const uuid = await newConnection("aws_ses", "audited");
    unwrap(await saveSetup(ctx, { uuid, attrs: SES }));
    unwrap(await saveSetup(ctx, { uuid, attrs: { region: "us-east-1", from_email: "b@example.com", junk_key: "x" } }));
    const last = (await auditRows(ctx.orgId)).filter((r) => r.targetId === uuid).at(-1);
    expect(last?.metadata).toMatchObject({ fields: "from_email" });
  });

  it("keeps JSON keys it does not know (written by a newer version) across a save", async () => {
    const uuid = await newConnection("openai", "future");
    const prisma = await db();
    const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
    await prisma.setting.update({ where: { uuid }, data: { value: { ...(row.value as object), future_flag: "kept" } } });
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-future" } }));
    expect((await settingsRow(uuid))?.value).toMatchObject({ future_flag: "kept", status: "configured" });
  });

  it("refuses to overwrite a stored state it cannot read", async () => {
    const uuid = await newConnection("openai", "corrupt");
    const prisma = await db();
    await prisma.setting.update({ where: { uuid }, data: { value: { status: 42 } } });
    expect(codeOf(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-corrupt" } }))).toBe("corrupted_state");
    expect((await settingsRow(uuid))?.value).toEqual({ status: 42 });
  });
});
