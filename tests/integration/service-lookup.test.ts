import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onQuery } from "@/lib/db";
import {
  addConnection,
  findUuidByProviderName,
  getCredentials,
  getIntegrationByUuid,
  listConnections,
  listIntegrations,
  listProviders,
  loadAllConnections,
  resolveToUuid,
  saveSetup,
  settingsKey,
  type TServiceContext,
} from "@/lib/integrations/service";
import { codeOf, missingUuid, unwrap } from "../support/results";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

let testDb: TestDatabase;
let ctx: TServiceContext;
const uuids: Record<string, string> = {};

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ctx = await createFirstOrg();
  // Added out of order on purpose: "default" must still come first.
  for (const ref of ["openai:zeta", "openai:alpha", "openai:default", "anthropic:default", "anthropic:beta", "telegram:bot1"]) {
    const [provider, name] = ref.split(":") as [string, string];
    uuids[ref] = unwrap(await addConnection(ctx, { provider, name })).uuid;
  }
  unwrap(await saveSetup(ctx, { uuid: uuids["openai:default"]!, attrs: { api_key: "sk-lookup-default" } }));
  unwrap(await saveSetup(ctx, { uuid: uuids["telegram:bot1"]!, attrs: { bot_token: "123:bot-token-0123456789abcdefghijklmnopqrst" } }));
});
afterAll(() => testDb.teardown());

describe("getIntegrationByUuid", () => {
  it("returns the connection without secrets, also for an upper-case uuid", async () => {
    const conn = unwrap(await getIntegrationByUuid(ctx, uuids["openai:default"]!.toUpperCase()));
    expect(conn).toMatchObject({ uuid: uuids["openai:default"], provider: "openai", name: "default", secretsSet: ["api_key"] });
    expect(JSON.stringify(conn)).not.toContain("sk-lookup-default");
  });

  it("answers not_configured for an unknown uuid and invalid for a malformed one", async () => {
    expect(codeOf(await getIntegrationByUuid(ctx, missingUuid()))).toBe("not_configured");
    expect(codeOf(await getIntegrationByUuid(ctx, "openai:default"))).toBe("invalid_uuid");
  });
});

describe("getCredentials", () => {
  it("decrypts by uuid, by provider:name and by bare provider (= default)", async () => {
    const expected = { uuid: uuids["openai:default"], provider: "openai", name: "default", credentials: { api_key: "sk-lookup-default" } };
    expect(unwrap(await getCredentials(ctx, uuids["openai:default"]!))).toMatchObject(expected);
    expect(unwrap(await getCredentials(ctx, "openai:default"))).toMatchObject(expected);
    expect(unwrap(await getCredentials(ctx, "openai"))).toMatchObject(expected);
    expect(unwrap(await getCredentials(ctx, "telegram:bot1")).credentials).toEqual({ bot_token: "123:bot-token-0123456789abcdefghijklmnopqrst" });
  });

  it("refuses a connection never set up (not_connected), and errors for unknown or malformed refs", async () => {
    expect(codeOf(await getCredentials(ctx, "openai:alpha"))).toBe("not_connected");
    expect(codeOf(await getCredentials(ctx, "openai:missing"))).toBe("not_configured");
    expect(codeOf(await getCredentials(ctx, "a:b:c"))).toBe("invalid");
  });
});

describe("resolveToUuid", () => {
  it("resolves a uuid, provider:name and a bare provider", async () => {
    expect(unwrap(await resolveToUuid(ctx, uuids["anthropic:beta"]))).toBe(uuids["anthropic:beta"]);
    expect(unwrap(await resolveToUuid(ctx, uuids["anthropic:beta"]!.toUpperCase()))).toBe(uuids["anthropic:beta"]);
    expect(unwrap(await resolveToUuid(ctx, "anthropic:beta"))).toBe(uuids["anthropic:beta"]);
    expect(unwrap(await resolveToUuid(ctx, "anthropic"))).toBe(uuids["anthropic:default"]);
  });

  it.each([missingUuid(), "anthropic:gamma", "telegram", "nosuchprovider:default"])("answers not_found for %j", async (input) => {
    expect(codeOf(await resolveToUuid(ctx, input))).toBe("not_found");
  });

  it.each(["", ":", "a:b:c", "UPPER:x", "openai:", ":default", "openai:bad name", 42, null, undefined, ["openai", "default"], {}])(
    "answers invalid for %j",
    async (input) => {
      expect(codeOf(await resolveToUuid(ctx, input))).toBe("invalid");
    },
  );
});

describe("findUuidByProviderName", () => {
  it("takes a [provider, name] tuple, provider:name or a bare provider", async () => {
    expect(unwrap(await findUuidByProviderName(ctx, ["openai", "zeta"]))).toBe(uuids["openai:zeta"]);
    expect(unwrap(await findUuidByProviderName(ctx, "openai:zeta"))).toBe(uuids["openai:zeta"]);
    expect(unwrap(await findUuidByProviderName(ctx, "openai"))).toBe(uuids["openai:default"]);
  });

  it("answers not_found vs invalid, and never treats a uuid as a provider name", async () => {
    expect(codeOf(await findUuidByProviderName(ctx, ["openai", "nope"]))).toBe("not_found");
    expect(codeOf(await findUuidByProviderName(ctx, ["openai"]))).toBe("invalid");
    expect(codeOf(await findUuidByProviderName(ctx, ["openai", "zeta", "x"]))).toBe("invalid");
    expect(codeOf(await findUuidByProviderName(ctx, ["openai", 1]))).toBe("invalid");
    expect(codeOf(await findUuidByProviderName(ctx, uuids["openai:zeta"]))).toBe("invalid");
  });
});

describe("listing", () => {
  it("listConnections puts default first, then by name, only for that provider", async () => {
    expect((await listConnections(ctx, "openai")).map((c) => c.name)).toEqual(["default", "alpha", "zeta"]);
    expect((await listConnections(ctx, "anthropic")).map((c) => c.name)).toEqual(["default", "beta"]);
    expect(await listConnections(ctx, "mistral")).toEqual([]);
  });

  it("listIntegrations returns every connection of the org, grouped by provider, without secrets", async () => {
    const all = await listIntegrations(ctx);
    expect(all.map((c) => `${c.provider}:${c.name}`)).toEqual([
      "anthropic:default",
      "anthropic:beta",
      "openai:default",
      "openai:alpha",
      "openai:zeta",
      "telegram:bot1",
    ]);
    expect(JSON.stringify(all)).not.toMatch(/sk-lookup-default|bot-token/);
  });

  it("loadAllConnections reads three providers in exactly one query", async () => {
    await loadAllConnections(ctx, ["openai"]); // warm-up: db() opened, client connected
    const queries: string[] = [];
    const stop = onQuery((sql) => queries.push(sql));
    const grouped = await loadAllConnections(ctx, ["openai", "anthropic", "telegram", "openai"]);
    stop();
    expect(queries).toHaveLength(1);
    expect(Object.keys(grouped).sort()).toEqual(["anthropic", "openai", "telegram"]);
    expect(grouped.openai!.map((c) => c.name)).toEqual(["default", "alpha", "zeta"]);
    expect(grouped.anthropic!.map((c) => c.name)).toEqual(["default", "beta"]);
    expect(grouped.telegram!.map((c) => c.uuid)).toEqual([uuids["telegram:bot1"]]);
  });

  it("getCredentials reads the row once, by uuid or by provider:name (reads are counted in memory, not inserted)", async () => {
    for (const ref of [uuids["openai:default"]!, "openai:default"]) {
      const queries: string[] = [];
      const stop = onQuery((sql) => queries.push(sql));
      unwrap(await getCredentials(ctx, ref));
      stop();
      expect(queries.filter((q) => /^SELECT\b/i.test(q.trim()) && /"settings"/.test(q)), ref).toHaveLength(1);
    }
  });

  it("listProviders returns the registry, and settingsKey builds integration:{provider}:{name}", () => {
    const keys = listProviders().map((p) => p.key);
    expect(keys).toEqual(expect.arrayContaining(["google", "openai", "telegram", "smtp", "twilio"]));
    expect(settingsKey("google")).toBe("integration:google:default");
    expect(settingsKey("google:personal")).toBe("integration:google:personal");
  });
});
