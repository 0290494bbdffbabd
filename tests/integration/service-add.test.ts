import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addConnection, listConnections, type TServiceContext } from "@/lib/integrations/service";
import { auditRows, codeOf, settingsRow, unwrap } from "../support/results";
import { createFirstOrg, setEnv, setupTestDatabase, type TestDatabase } from "../support/test-db";

let testDb: TestDatabase;
let ctx: TServiceContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ctx = await createFirstOrg();
});
afterAll(() => testDb.teardown());
afterEach(() => {
  setEnv("SWITCHBOARD_DISABLED_PROVIDERS", undefined);
  setEnv("SWITCHBOARD_MAX_CONNECTIONS_PER_PROVIDER", undefined);
});

describe("addConnection", () => {
  it("creates a disconnected row with a UUIDv7 and the key integration:{provider}:{name}", async () => {
    const conn = unwrap(await addConnection(ctx, { provider: "openai", name: "  work  " }));
    expect(conn.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(conn).toMatchObject({ provider: "openai", name: "work", authType: "api_key", status: "disconnected" });
    expect(conn.secretsSet).toEqual([]);
    const row = await settingsRow(conn.uuid);
    expect(row).toMatchObject({ orgId: ctx.orgId, key: "integration:openai:work", secret: null, keyVersion: null });
    expect(row?.createdById).toBe(ctx.actor.type === "user" ? ctx.actor.id : null);
  });

  it("accepts any valid name, including a 64-character one and the literal default", async () => {
    expect(codeOf(await addConnection(ctx, { provider: "openai", name: "default" }))).toBe("ok");
    expect(codeOf(await addConnection(ctx, { provider: "openai", name: "A".repeat(64) }))).toBe("ok");
    expect(codeOf(await addConnection(ctx, { provider: "openai", name: "9lives_and-more" }))).toBe("ok");
  });

  it("answers empty_name for an empty or blank name", async () => {
    expect(codeOf(await addConnection(ctx, { provider: "openai", name: "" }))).toBe("empty_name");
    expect(codeOf(await addConnection(ctx, { provider: "openai", name: "   " }))).toBe("empty_name");
  });

  it.each(["has space", "-leading-dash", "_leading", "a:b", "é", "A".repeat(65), "semi;colon"])(
    "answers invalid_name for %j",
    async (name) => {
      expect(codeOf(await addConnection(ctx, { provider: "openai", name }))).toBe("invalid_name");
    },
  );

  it("answers already_exists for a second connection of one provider with one name, and keeps one row", async () => {
    const first = unwrap(await addConnection(ctx, { provider: "mistral", name: "dup" }));
    const again = await addConnection(ctx, { provider: "mistral", name: "dup" });
    expect(codeOf(again)).toBe("already_exists");
    expect((await listConnections(ctx, "mistral")).map((c) => c.uuid)).toEqual([first.uuid]);
    // The same name under another provider is a different connection.
    expect(codeOf(await addConnection(ctx, { provider: "deepseek", name: "dup" }))).toBe("ok");
  });

  it.each(["nope", "OpenAI", "openai:work", "", "integration"])("answers unknown_provider for %j", async (provider) => {
    expect(codeOf(await addConnection(ctx, { provider, name: "x1" }))).toBe("unknown_provider");
  });

  it("answers provider_disabled for a provider in SWITCHBOARD_DISABLED_PROVIDERS", async () => {
    setEnv("SWITCHBOARD_DISABLED_PROVIDERS", "xai, stripe");
    expect(codeOf(await addConnection(ctx, { provider: "xai", name: "default" }))).toBe("provider_disabled");
    expect(codeOf(await addConnection(ctx, { provider: "stripe", name: "default" }))).toBe("provider_disabled");
    expect(await listConnections(ctx, "xai")).toEqual([]);
    setEnv("SWITCHBOARD_DISABLED_PROVIDERS", undefined);
    expect(codeOf(await addConnection(ctx, { provider: "xai", name: "default" }))).toBe("ok");
  });

  it("answers limit_reached past SWITCHBOARD_MAX_CONNECTIONS_PER_PROVIDER, per provider", async () => {
    setEnv("SWITCHBOARD_MAX_CONNECTIONS_PER_PROVIDER", "3");
    for (const name of ["one", "two", "three"]) {
      expect(codeOf(await addConnection(ctx, { provider: "github_token", name }))).toBe("ok");
    }
    expect(codeOf(await addConnection(ctx, { provider: "github_token", name: "four" }))).toBe("limit_reached");
    expect(await listConnections(ctx, "github_token")).toHaveLength(3);
    // `github` is a different provider although its key is a prefix of `github_token`.
    expect(codeOf(await addConnection(ctx, { provider: "github", name: "one" }))).toBe("ok");
  });

  it("writes nothing (no row, no audit) when it refuses", async () => {
    const before = (await auditRows(ctx.orgId)).length;
    await addConnection(ctx, { provider: "openai", name: "bad name" });
    await addConnection(ctx, { provider: "openai", name: "work" }); // already_exists
    await addConnection(ctx, { provider: "nope", name: "x" });
    expect(await auditRows(ctx.orgId)).toHaveLength(before);
  });
});
