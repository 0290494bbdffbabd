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
// upstream on the connection's Allowed hosts for the caps and the streaming:
// the answer is passed on as it arrives, and one that breaks a cap after its
// first bytes went out is cut off (an aborted response, never a shorter one
// that looks complete). The consumer never sees the token, not even when an
// upstream echoes it, split across chunks or not.

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
/** When /drip sent its last bytes (0: not yet). */
let dripFinishedAt = 0;
/** Settles when the upstream's answer on that path ends or its connection closes (for one that never ends: only the latter). */
const upstreamClosed = new Map<string, Promise<void>>();

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
    upstreamClosed.set(path, new Promise((resolve) => res.once("close", () => resolve())));
    if (path === "/big") {
      return void res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(MAX_RESPONSE * 2) }).end(Buffer.alloc(MAX_RESPONSE * 2, 97));
    }
    if (path === "/drip") {
      res.writeHead(200, { "content-type": "text/plain" }).write("first\n");
      return void setTimeout(() => {
        dripFinishedAt = Date.now();
        res.end("last\n");
      }, 1500);
    }
    if (path === "/endless") {
      // No Content-Length: only the bytes counted as they come can trip the cap.
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const timer = setInterval(() => res.write(Buffer.alloc(4096, 98)), 5);
      return void res.once("close", () => clearInterval(timer));
    }
    if (path === "/stall") return void res.writeHead(200, { "content-type": "text/plain" }).write("first\n");
    if (path === "/headers-only") return void res.writeHead(200, { "x-request-id": "req-2" }).flushHeaders();
    if (path === "/echo-split") {
      // The credential echoed back in two chunks, split inside the token.
      const auth = req.headers.authorization ?? "";
      res.writeHead(200, { "content-type": "application/json" }).write(`{"auth":"${auth.slice(0, 12)}`);
      return void setTimeout(() => res.end(`${auth.slice(12)}"}`), 100);
    }
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
/** The answer as a Response, its body still arriving. */
const proxyStream = (body: unknown) =>
  fetch(`${target.url}/api/v1/connections/${uuid}/proxy`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
const serverLog = () => target.server?.output() ?? logs.text();

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

    // A declared Content-Length over the cap: refused before anything is passed on.
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

  it("passes the body on as it arrives: the first bytes reach the consumer before the upstream has finished", async () => {
    dripFinishedAt = 0;
    const r = await proxyStream({ method: "GET", path: `${upstream.origin}/drip` });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/plain");
    const reader = r.body!.getReader();
    const first = await reader.read();
    const firstAt = Date.now();
    expect(Buffer.from(first.value!).toString()).toBe("first\n");
    expect(dripFinishedAt).toBe(0);
    let rest = "";
    for (let c = await reader.read(); !c.done; c = await reader.read()) rest += Buffer.from(c.value).toString();
    expect(rest).toBe("last\n");
    expect(dripFinishedAt).toBeGreaterThan(firstAt);
  });

  it("an answer that passes the size cap as it streams (no Content-Length) is cut off, and the upstream hung up on", async () => {
    const r = await proxyStream({ method: "GET", path: `${upstream.origin}/endless` });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-length")).toBeNull(); // chunked: the consumer can tell a cut answer from a complete one
    await expect(r.arrayBuffer()).rejects.toThrow();
    await upstreamClosed.get("/endless");
    await expect.poll(serverLog).toContain("proxied answer cut off");
  });

  it("the time cap also covers the body: one still arriving at the deadline is cut off", async () => {
    const started = Date.now();
    const r = await proxyStream({ method: "GET", path: `${upstream.origin}/stall` });
    expect(r.status).toBe(200);
    const reader = r.body!.getReader();
    expect(Buffer.from((await reader.read()).value!).toString()).toBe("first\n");
    await expect(reader.read()).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_S * 1000 - 100);
    await upstreamClosed.get("/stall");
  });

  it("a body that fails before its first byte went out is a 502, without the upstream's headers", async () => {
    const r = await proxy({ method: "GET", path: `${upstream.origin}/headers-only` });
    expect(r.status).toBe(502);
    expect((r.body as { error: { code: string } }).error.code).toBe("upstream_failed");
    expect(r.headers.get("x-request-id")).toBeNull();
    expect(r.headers.get("content-type")).toContain("application/json");
    await upstreamClosed.get("/headers-only");
  });

  it("a credential the upstream echoes back split across two chunks is still redacted", async () => {
    const r = await proxy({ method: "GET", path: `${upstream.origin}/echo-split` });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ auth: "Bearer <redacted>" });
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
