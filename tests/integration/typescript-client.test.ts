import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SwitchboardClient, SwitchboardError } from "@/clients/typescript/src/index";
import { addConnection, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { newKey } from "@/tests/support/admin-api";
import { startConsumerTarget, type TConsumerTarget } from "@/tests/support/consumer-target";
import { caughtClientError } from "@/tests/support/client-errors";
import { unwrap } from "@/tests/support/results";
import { readBody, sendJson, startHttpServer, type THttpStandIn } from "@/tests/support/standins/http-server";
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
/** OpenAI's API, played on 127.0.0.1: it checks the key Switchboard adds and records what arrived. */
let upstream: THttpStandIn;
const upstreamSeen: { method: string; url: string; authorization: string | undefined; contentType: string | undefined; body: string }[] = [];
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
  upstream = await startHttpServer(async (req, res) => {
    const body = await readBody(req);
    upstreamSeen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, contentType: req.headers["content-type"], body });
    if (req.headers.authorization !== `Bearer ${CANARY}`) return sendJson(res, 401, { error: { message: "Incorrect API key" } });
    sendJson(res, req.method === "POST" ? 201 : 200, { object: "list", data: [{ id: "gpt-test" }] });
  });
  // The in-process data plane (embedded database) reads these here; the server process gets them passed.
  const env = {
    SWITCHBOARD_CONSUMER_RATE_LIMIT_PER_MINUTE: RATE_LIMIT,
    SWITCHBOARD_PROVIDER_BASE_URLS: `openai=${upstream.origin}`,
    SWITCHBOARD_OUTBOUND_ALLOW: `127.0.0.1:${upstream.port}`,
    SWITCHBOARD_LOG_LEVEL: "warn",
  };
  for (const [name, value] of Object.entries(env)) setEnv(name, value);
  target = await startConsumerTarget(testDb, env);
  baseUrl = target.url;
}, 180_000);

afterAll(async () => {
  await target?.close();
  await upstream?.close();
  for (const name of ["SWITCHBOARD_CONSUMER_RATE_LIMIT_PER_MINUTE", "SWITCHBOARD_PROVIDER_BASE_URLS", "SWITCHBOARD_OUTBOUND_ALLOW"]) setEnv(name, undefined);
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

  it("request() has Switchboard call the provider with the key it holds; the answer comes back, the key does not", async () => {
    upstreamSeen.length = 0;
    const c = client(consumerKey);
    const res = await c.request(allowed, { method: "GET", path: "/models", query: { limit: 5 } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ object: "list", data: [{ id: "gpt-test" }] });
    expect(text).not.toContain(CANARY);
    expect([...res.headers.values()].join(" ")).not.toContain(CANARY);

    const posted = await c.request(allowed, { method: "POST", path: "/models", body: { name: "a" } });
    expect(posted.status).toBe(201);
    expect(upstreamSeen).toMatchObject([
      { method: "GET", url: "/v1/models?limit=5", authorization: `Bearer ${CANARY}` },
      { method: "POST", url: "/v1/models", contentType: "application/json", body: '{"name":"a"}' },
    ]);
  });

  it("request() to a host that is not the connection's is refused with host_not_allowed, and nothing is sent", async () => {
    upstreamSeen.length = 0;
    const res = await client(consumerKey).request(allowed, { method: "GET", path: "http://127.0.0.1:9/elsewhere" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("host_not_allowed");
    expect(upstreamSeen).toHaveLength(0);
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
