import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SwitchboardClient, SwitchboardError } from "@/clients/typescript/src/index";
import { addConnection, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { newKey } from "@/tests/support/admin-api";
import { startConsumerTarget, type TConsumerTarget } from "@/tests/support/consumer-target";
import { caughtClientError } from "@/tests/support/client-errors";
import { unwrap } from "@/tests/support/results";
import { createOrg, setEnv, setupTestDatabase, type TestDatabase } from "@/tests/support/test-db";

// The typed client (clients/typescript) against the consumer API over real
// HTTP: on PostgreSQL the built server (server/main.mjs) in its own process,
// on the embedded database the same data plane in this process
// (tests/support/consumer-target.ts). Connections and consumer keys are made
// through the service first.

const CANARY = `sk-canary-client-${randomBytes(8).toString("hex")}`;
/** Consumer calls per key per minute: small, so the 429 test reaches it quickly. */
const RATE_LIMIT = "20";

let testDb: TestDatabase;
let target: TConsumerTarget;
let baseUrl: string;
let ctx: TServiceContext;
let allowed: string;
let notAllowed: string;
let otherOrgConnection: string;
let consumerKey: string;
let limitedKey: string;
let adminKey: string;

async function openAiConnection(c: TServiceContext, name: string, apiKey: string): Promise<string> {
  const { uuid } = unwrap(await addConnection(c, { provider: "openai", name }));
  unwrap(await saveSetup(c, { uuid, attrs: { api_key: apiKey } }));
  return uuid;
}

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ctx = await createOrg("Client org");
  allowed = await openAiConnection(ctx, "allowed", CANARY);
  notAllowed = await openAiConnection(ctx, "not-allowed", `sk-other-${randomBytes(6).toString("hex")}`);
  otherOrgConnection = await openAiConnection(await createOrg("Other org"), "theirs", `sk-theirs-${randomBytes(6).toString("hex")}`);
  consumerKey = (await newKey(ctx, "consumer", { allowedConnections: [allowed] })).key;
  limitedKey = (await newKey(ctx, "consumer", { allowedConnections: [allowed] })).key;
  adminKey = (await newKey(ctx, "admin")).key;
  // The in-process data plane (embedded database) reads it here; the server process gets it passed.
  setEnv("SWITCHBOARD_CONSUMER_RATE_LIMIT_PER_MINUTE", RATE_LIMIT);
  target = await startConsumerTarget(testDb, { SWITCHBOARD_CONSUMER_RATE_LIMIT_PER_MINUTE: RATE_LIMIT, SWITCHBOARD_LOG_LEVEL: "warn" });
  baseUrl = target.url;
}, 180_000);

afterAll(async () => {
  await target?.close();
  setEnv("SWITCHBOARD_CONSUMER_RATE_LIMIT_PER_MINUTE", undefined);
  await testDb?.teardown();
});

const client = (apiKey: string, extra: Partial<ConstructorParameters<typeof SwitchboardClient>[0]> = {}) => new SwitchboardClient({ baseUrl, apiKey, ...extra });


describe("the typed client against the running server", () => {
  it("getCredentials returns the allow-listed connection's secret", async () => {
    const creds = await client(consumerKey).getCredentials(allowed);
    expect(creds).toMatchObject({ uuid: allowed, provider: "openai", authType: "api_key" });
    expect(Object.values(creds.credentials)).toContain(CANARY);
  });

  it("getConnection returns metadata and never the secret", async () => {
    const c = client(consumerKey);
    const meta = await c.getConnection(allowed);
    expect(meta).toMatchObject({ uuid: allowed, provider: "openai", name: "allowed" });
    expect(JSON.stringify(meta)).not.toContain(CANARY);
  });

  it("another connection of the org, another org's connection and a random uuid are all not_found", async () => {
    const c = client(consumerKey, { retries: 0 });
    const errors = await Promise.all([notAllowed, otherOrgConnection, randomUUID()].map((uuid) => caughtClientError(c.getCredentials(uuid))));
    for (const err of errors) expect(err).toMatchObject({ code: "not_found", status: 404, attempts: 1 });
    expect(new Set(errors.map((e) => e.message)).size).toBe(1);
  });

  it("an unknown key is unauthorized and not retried", async () => {
    const err = await caughtClientError(client(`swb_${randomBytes(30).toString("base64url")}`).getCredentials(allowed));
    expect(err).toMatchObject({ code: "unauthorized", status: 401, attempts: 1 });
  });

  it("an admin key is refused by the consumer API", async () => {
    const err = await caughtClientError(client(adminKey, { retries: 0 }).getCredentials(allowed));
    expect(err).toMatchObject({ code: "forbidden_scope", status: 403, attempts: 1 });
    expect(JSON.stringify(err)).not.toContain(CANARY);
  });

  it("a 429 is retried after the server's Retry-After, then reported with its code when the budget stays spent", async () => {
    const waits: number[] = [];
    const c = client(limitedKey, { retries: 2, maxRetryDelayMs: 60_000, sleep: async (ms) => void waits.push(ms) });
    // Spend the key's budget (several instances may admit a few more before they settle: go well past it).
    let first429: SwitchboardError | undefined;
    for (let i = 0; i < Number(RATE_LIMIT) * 3 && !first429; i++) {
      waits.length = 0;
      await c.getCredentials(allowed).catch((err: unknown) => {
        if (err instanceof SwitchboardError && err.code === "rate_limited") first429 = err;
        else throw err;
      });
    }
    expect(first429).toBeDefined();
    // The sleep was injected, so every retry met the same spent budget: 1 + 2 retries, each wait the server's Retry-After.
    expect(first429).toMatchObject({ status: 429, attempts: 3 });
    expect(first429!.retryAfterMs).toBeGreaterThan(0);
    expect(first429!.retryAfterMs).toBeLessThanOrEqual(60_000);
    // Both waits came from the header (whole seconds), not from the client's sub-second backoff.
    expect(waits).toHaveLength(2);
    for (const w of waits) {
      expect(w % 1000).toBe(0);
      expect(w).toBeGreaterThanOrEqual(1000);
      expect(w).toBeLessThanOrEqual(60_000);
    }
  });
});
