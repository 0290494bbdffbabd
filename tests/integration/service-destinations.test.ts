import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { openRowSecrets, sealForRow } from "@/lib/integrations/service/connection-row";
import { addConnection, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { auditRows, codeOf, settingsRow, unwrap } from "../support/results";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// Stored secrets never follow a destination their reader did not choose: when
// a field that decides where a secret is sent changes, the secret must be
// typed again (`secret_required`), and nothing changes until it is.

let testDb: TestDatabase;
let ctx: TServiceContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ctx = await createFirstOrg();
});
afterAll(() => testDb.teardown());

async function configured(provider: string, name: string, attrs: Record<string, string>): Promise<string> {
  const uuid = unwrap(await addConnection(ctx, { provider, name })).uuid;
  unwrap(await saveSetup(ctx, { uuid, attrs }));
  return uuid;
}

/** Everything stored for the connection: setup fields and decrypted secrets (getCredentials withholds OAuth's refresh token and client secret). */
async function credentialsOf(uuid: string): Promise<Record<string, string>> {
  const row = (await settingsRow(uuid))!;
  const opened = openRowSecrets(row);
  if (!opened.ok) throw new Error(`secrets unreadable: ${opened.reason}`);
  return { ...(row.value as { setup: Record<string, string> }).setup, ...opened.secrets };
}

/** Saves `attrs`, expects `secret_required` naming exactly `fields`, and that neither the row nor the audit log moved. */
async function expectSecretRequired(uuid: string, attrs: Record<string, string>, fields: string[], clear?: string[]) {
  const before = await settingsRow(uuid);
  const audits = (await auditRows(ctx.orgId)).length;
  const result = await saveSetup(ctx, { uuid, attrs, clear });
  expect(codeOf(result)).toBe("secret_required");
  if (result.ok) return;
  expect(Object.keys(result.error.fields ?? {}).sort()).toEqual([...fields].sort());
  expect(await settingsRow(uuid)).toEqual(before);
  expect(await auditRows(ctx.orgId)).toHaveLength(audits);
  return result.error;
}

describe("saveSetup: a changed destination wants its secrets typed again", () => {
  it("generic API key: a new base URL keeps no stored key, and says why without echoing anything", async () => {
    const uuid = await configured("generic_api_key", "dest", { base_url: "https://api.example.com", api_key: "canary-key-1" });

    const error = await expectSecretRequired(uuid, { base_url: "https://attacker.example.net", api_key: "" }, ["api_key"]);
    expect(error?.message).toBe("Changing Base URL changes where the stored API key is sent. Type it again to confirm.");
    expect(error?.fields?.api_key).toBe("Type the API key again: Base URL changed where it is sent.");
    expect(JSON.stringify(error)).not.toMatch(/canary|attacker/);
    // The same change with the field left out entirely is refused too.
    await expectSecretRequired(uuid, { base_url: "https://attacker.example.net" }, ["api_key"]);

    // Unchanged base URL: the stored key is kept as before.
    unwrap(await saveSetup(ctx, { uuid, attrs: { base_url: "https://api.example.com", header_name: "X-Api-Key", api_key: "" } }));
    expect(await credentialsOf(uuid)).toMatchObject({ base_url: "https://api.example.com", api_key: "canary-key-1" });

    // Typing the key again with the new URL is what an operator who holds it does.
    const moved = unwrap(await saveSetup(ctx, { uuid, attrs: { base_url: "https://api2.example.com", api_key: "canary-key-2" } }));
    expect(moved.status).toBe("configured");
    expect(await credentialsOf(uuid)).toMatchObject({ base_url: "https://api2.example.com", api_key: "canary-key-2" });
    expect((await auditRows(ctx.orgId)).filter((r) => r.action === "setup_saved").at(-1)?.metadata).toMatchObject({ fields: "api_key,base_url" });
  });

  it("SMTP: a new host or a weaker security mode wants the password; a relay without one needs nothing", async () => {
    const uuid = await configured("smtp", "dest", { host: "smtp.example.com", username: "u", password: "canary-smtp" });
    await expectSecretRequired(uuid, { host: "smtp.attacker.example" }, ["password"]);
    await expectSecretRequired(uuid, { security: "none" }, ["password"]);
    // Port and username are not destinations.
    unwrap(await saveSetup(ctx, { uuid, attrs: { port: "2525", username: "other" } }));
    unwrap(await saveSetup(ctx, { uuid, attrs: { host: "smtp2.example.com", password: "canary-smtp-2" } }));
    expect(await credentialsOf(uuid)).toMatchObject({ host: "smtp2.example.com", password: "canary-smtp-2" });

    const relay = await configured("smtp", "relay-dest", { host: "relay.example.com" });
    unwrap(await saveSetup(ctx, { uuid: relay, attrs: { host: "relay2.example.com" } }));
  });

  it("PostgreSQL: a new connection string, clearing it, a new host or sslmode all want the separate password again", async () => {
    const uuid = await configured("postgresql", "dest", {
      connection_string: "postgresql://app@db.example.com/app",
      password: "canary-pg",
    });
    await expectSecretRequired(uuid, { connection_string: "postgresql://app@db.attacker.example/app" }, ["password"]);
    await expectSecretRequired(uuid, { host: "db.example.com", database: "app", user: "app" }, ["password"], ["connection_string"]);
    await expectSecretRequired(uuid, { sslmode: "disable" }, ["password"]);
    // The same connection string typed again is no change.
    unwrap(await saveSetup(ctx, { uuid, attrs: { connection_string: "postgresql://app@db.example.com/app" } }));
    // Clearing the password with the move is fine too: nothing stored follows.
    const cleared = unwrap(await saveSetup(ctx, { uuid, attrs: { connection_string: "postgresql://app@db2.example.com/app" }, clear: ["password"] }));
    expect(cleared.secretsSet).toEqual(["connection_string"]);
  });

  it("S3: pointing Amazon S3 credentials at a custom endpoint wants the secret access key", async () => {
    const uuid = await configured("s3", "dest", { region: "us-east-1", bucket: "b", access_key_id: "AKIAX", secret_access_key: "canary-s3" });
    await expectSecretRequired(uuid, { endpoint: "https://s3.attacker.example" }, ["secret_access_key"]);
    // Region and bucket stay on the provider's own domain.
    unwrap(await saveSetup(ctx, { uuid, attrs: { region: "eu-west-1", bucket: "other" } }));
  });

  it("SFTP: a new host wants the password, or the private key and its passphrase", async () => {
    const pem = ["-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQy", "-----END OPENSSH PRIVATE KEY-----"].join("\n");
    const byPassword = await configured("sftp", "dest-pw", { host: "files.example.com", username: "u", auth_method: "password", password: "canary-sftp" });
    await expectSecretRequired(byPassword, { host: "files.attacker.example" }, ["password"]);
    const byKey = await configured("sftp", "dest-key", {
      host: "files.example.com",
      username: "u",
      auth_method: "private_key",
      private_key: pem,
      passphrase: "canary-pass",
    });
    await expectSecretRequired(byKey, { host: "files.attacker.example" }, ["private_key", "passphrase"]);
    await expectSecretRequired(byKey, { host: "files.attacker.example", private_key: pem }, ["passphrase"]);
  });

  it("generic OAuth 2.0: a new token, userinfo or revocation URL wants the client secret and drops the obtained tokens", async () => {
    const base = {
      client_id: "cid",
      client_secret: "canary-client-secret",
      authorize_url: "https://auth.example.com/authorize",
      token_url: "https://auth.example.com/token",
      userinfo_url: "https://auth.example.com/userinfo",
    };
    const uuid = await configured("generic_oauth2", "dest", base);
    // A connected account: tokens as the OAuth flow stores them.
    const prisma = await db();
    const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
    await prisma.setting.update({
      where: { uuid },
      data: {
        value: { ...(row.value as object), status: "connected", external_account_email: "someone@example.com", scopes: ["openid"] },
        ...sealForRow(row, { client_secret: base.client_secret, access_token: "canary-at", refresh_token: "canary-rt" }),
      },
    });

    for (const field of ["token_url", "userinfo_url", "revoke_url"]) {
      await expectSecretRequired(uuid, { [field]: "https://evil.example.com/x" }, ["client_secret"]);
    }
    // The authorization URL only ever sees the browser: no secret needed, tokens kept.
    unwrap(await saveSetup(ctx, { uuid, attrs: { authorize_url: "https://auth.example.com/authorize2" } }));
    expect(await credentialsOf(uuid)).toMatchObject({ access_token: "canary-at", refresh_token: "canary-rt" });

    const moved = unwrap(await saveSetup(ctx, { uuid, attrs: { userinfo_url: "https://auth2.example.com/userinfo", client_secret: "canary-client-secret-2" } }));
    expect(moved).toMatchObject({ status: "disconnected", account: { email: null }, scopes: [], secretsSet: ["client_secret"] });
    const creds = await credentialsOf(uuid);
    expect(creds).not.toHaveProperty("access_token");
    expect(creds).not.toHaveProperty("refresh_token");
    expect(creds.client_secret).toBe("canary-client-secret-2");
    expect((await auditRows(ctx.orgId)).filter((r) => r.action === "setup_saved").at(-1)?.metadata).toMatchObject({ tokensDropped: "access_token,refresh_token" });
  });
});
