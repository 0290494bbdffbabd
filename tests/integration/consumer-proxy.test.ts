import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sealForRow } from "@/lib/integrations/service/connection-row";
import { saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { apiClient, newKey } from "../support/admin-api";
import { startConsumerTarget, type TConsumerTarget } from "../support/consumer-target";
import { addGenericConnection, allowLoopbackOutbound, connect, readSecrets, REDIRECT_URI, storedSecrets } from "../support/oauth";
import { startHttpServer, type THttpStandIn } from "../support/standins/http-server";
import { RESOURCE_PATH, startOidcServer, type TOidcStandin } from "../support/standins/oidc-server";
import { unwrap } from "../support/results";
import { captureConsole, createFirstOrg, setEnv, setupTestDatabase, type ConsoleCapture, type TestDatabase } from "../support/test-db";

// POST /api/v1/connections/{uuid}/proxy over real HTTP (the production server
// on PostgreSQL): an OAuth connection on the oidc-provider stand-in, whose
// protected resource answers 401 for a token it does not know, and a second
// upstream on the connection's Allowed hosts for the caps. The consumer never
// sees the token, not even when an upstream echoes it.

const TIMEOUT_S = 2;
const MAX_RESPONSE = 64 * 1024;
const MAX_REQUEST = 4096;

let testDb: TestDatabase;
let standin: TOidcStandin;
let upstream: THttpStandIn;
let elsewhere: THttpStandIn;
let target: TConsumerTarget;
let api: ReturnType<typeof apiClient>;
let logs: ConsoleCapture;
let ctx: TServiceContext;
let uuid: string;
let key: string;
let upstreamHits = 0;

beforeAll(async () => {
  logs = captureConsole();
  testDb = await setupTestDatabase();
  allowLoopbackOutbound();
  setEnv("SWITCHBOARD_PROXY_TIMEOUT_SECONDS", String(TIMEOUT_S));
  setEnv("SWITCHBOARD_PROXY_MAX_RESPONSE_BYTES", String(MAX_RESPONSE));
  setEnv("SWITCHBOARD_PROXY_MAX_REQUEST_BYTES", String(MAX_REQUEST));
  standin = await startOidcServer({ redirectUris: [REDIRECT_URI], accessTokenTtlSeconds: 600 });
  upstream = await startHttpServer((req, res) => {
    upstreamHits += 1;
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/big") return void res.writeHead(200, { "content-type": "application/octet-stream" }).end(Buffer.alloc(MAX_RESPONSE * 2, 97));
    if (path === "/slow") return void setTimeout(() => res.writeHead(200).end("late"), (TIMEOUT_S + 2) * 1000).unref();
    if (path === "/echo") {
      // A debug endpoint that reflects the credential back, in a header and in the body.
      const auth = req.headers.authorization ?? "";
      return void res
        .writeHead(201, { "content-type": "application/json", "x-request-id": "req-1", "set-cookie": "session=abc", "x-echo": auth, "x-ratelimit-remaining": "41" })
        .end(JSON.stringify({ method: req.method, url: req.url, auth, contentType: req.headers["content-type"] ?? null }));
    }
    res.writeHead(404).end();
  });
  elsewhere = await startHttpServer((_req, res) => res.writeHead(200).end("should never be reached"));
  ctx = await createFirstOrg();
  uuid = await addGenericConnection(ctx, standin);
  // A new allowed host changes where the client secret may go: it is typed again with it.
  unwrap(await saveSetup(ctx, { uuid, attrs: { allowed_hosts: upstream.origin, client_secret: standin.clientSecret } }));
  await connect(ctx, uuid);
  key = (await newKey(ctx, "consumer", { allowedConnections: [uuid] })).key;
  target = await startConsumerTarget(testDb);
  api = apiClient(target.url);
}, 180_000);

afterAll(async () => {
  await target?.close();
  await standin?.close();
  await upstream?.close();
  await elsewhere?.close();
  logs?.restore();
  await testDb?.teardown();
});

const proxy = (body: unknown, raw?: string) =>
  api.call("POST", `/api/v1/connections/${uuid}/proxy`, raw === undefined ? { key, body } : { key, raw, headers: { "content-type": "application/json" } });

describe("consumer proxy", () => {
  it("performs the call with the connection's token and returns the upstream's status, safe headers and body", async () => {
    const r = await proxy({ method: "POST", path: `${upstream.origin}/echo`, query: { page: "2", tag: ["a", "b"] }, headers: { "x-trace": "t1" }, body: { hello: "world" } });
    expect(r.status).toBe(201);
    const body = r.body as { method: string; url: string; auth: string; contentType: string };
    expect(body).toMatchObject({ method: "POST", url: "/echo?page=2&tag=a&tag=b", contentType: "application/json" });
    // The upstream saw a Bearer token; the consumer sees only that one was sent.
    expect(body.auth).toBe("Bearer <redacted>");
    expect(r.headers.get("x-request-id")).toBe("req-1");
    expect(r.headers.get("x-ratelimit-remaining")).toBe("41");
    expect(r.headers.get("set-cookie")).toBeNull();
    expect(r.headers.get("x-echo")).toBeNull();
    expect(r.headers.get("cache-control")).toBe("no-store");
  });

  it("upstream 401 → exactly one refresh and one retry", async () => {
    // A token the resource does not know, not yet near its expiry: only the 401 can trigger the refresh.
    const prisma = await db();
    const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
    await prisma.setting.update({ where: { uuid }, data: sealForRow(row, { ...readSecrets(row), access_token: `unknown-${randomBytes(8).toString("hex")}` }) });
    standin.resetCounters();
    const r = await proxy({ method: "GET", path: `${standin.issuer}${RESOURCE_PATH}` });
    expect(r.status).toBe(200);
    expect((r.body as { ok: boolean }).ok).toBe(true);
    expect(standin.counters.refreshes).toBe(1);
    expect(standin.counters.resourceCalls).toBe(2);
    expect(standin.counters.resource401).toBe(1);
    // Again, with the consumer sending its own Authorization header: it is dropped, and the same one refresh + one retry happen.
    standin.resetCounters();
    await prisma.setting.update({
      where: { uuid },
      data: sealForRow(await prisma.setting.findUniqueOrThrow({ where: { uuid } }), { ...(await storedSecrets(uuid)), access_token: "unknown-again" }),
    });
    const still = await proxy({ method: "GET", path: `${standin.issuer}${RESOURCE_PATH}`, headers: { authorization: "Bearer consumer-supplied" } });
    expect(still.status).toBe(200);
    expect(standin.counters.refreshes).toBe(1);
    expect(standin.counters.resourceCalls).toBe(2);
  });

  it("refuses a host that is not the connection's, sending nothing", async () => {
    const before = elsewhere.connections();
    const r = await proxy({ method: "GET", path: `http://localhost:${elsewhere.port}/steal` });
    expect(r.status).toBe(400);
    expect((r.body as { error: { code: string } }).error.code).toBe("host_not_allowed");
    const relative = await proxy({ method: "GET", path: "relative/path" });
    expect(relative.status).toBe(400);
    expect((relative.body as { error: { code: string } }).error.code).toBe("invalid_request");
    expect(elsewhere.connections()).toBe(before);
  });

  it("caps the request body, the upstream answer's size and its time", async () => {
    const tooBig = await proxy({ method: "POST", path: `${upstream.origin}/echo`, body: "x".repeat(MAX_REQUEST + 32 * 1024) });
    expect(tooBig.status).toBe(400);
    expect((tooBig.body as { error: { code: string } }).error.code).toBe("invalid_request");

    const big = await proxy({ method: "GET", path: `${upstream.origin}/big` });
    expect(big.status).toBe(502);
    expect((big.body as { error: { code: string; message: string } }).error).toMatchObject({ code: "upstream_failed" });
    expect(big.text.length).toBeLessThan(1024);

    const started = Date.now();
    const slow = await proxy({ method: "GET", path: `${upstream.origin}/slow` });
    const took = Date.now() - started;
    expect(slow.status).toBe(502);
    expect((slow.body as { error: { code: string } }).error.code).toBe("upstream_failed");
    expect(took).toBeLessThan((TIMEOUT_S + 2) * 1000);

    const bad = await proxy(undefined, '{"method":"TRACE","path":"/x"}');
    expect(bad.status).toBe(400);
  });

  it("never lets the access or refresh token reach the consumer, in any answer or log line", async () => {
    const secrets = await storedSecrets(uuid);
    const answers = api.answers.join("\n");
    for (const value of [secrets.access_token!, secrets.refresh_token!, standin.clientSecret]) {
      expect(answers).not.toContain(value);
      expect(logs.text()).not.toContain(value);
      if (target.server) expect(target.server.output()).not.toContain(value);
    }
    expect(upstreamHits).toBeGreaterThan(0);
  });
});
