import type http from "node:http";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { SwitchboardClient } from "@/clients/typescript/src/index";
import { caughtClientError } from "@/tests/support/client-errors";
import { readBody, sendJson, startHttpServer, type THttpStandIn } from "@/tests/support/standins/http-server";

// The typed client (clients/typescript) against a small local node:http
// server that plays Switchboard's consumer API: scripted answers per call,
// every request recorded. Waits go through an injected sleep that records the
// delay instead of waiting it, and an injected clock for HTTP-date Retry-After.

const KEY = "sbk_consumer_canary_9f2c7d1e5a";
const UUID = "0190b5a4-0000-7000-8000-000000000001";
const CREDENTIALS = { uuid: UUID, provider: "openai", authType: "api_key", credentials: { apiKey: "sk-test" }, expiresAt: null };

type TAnswer = (req: http.IncomingMessage, res: http.ServerResponse) => void;
type TSeen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

let server: THttpStandIn | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves `answers` in order (the last one repeats) and records each request. */
async function scripted(answers: TAnswer[]): Promise<{ origin: string; seen: TSeen[] }> {
  const seen: TSeen[] = [];
  server = await startHttpServer(async (req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: await readBody(req) });
    answers[Math.min(seen.length - 1, answers.length - 1)]!(req, res);
  });
  return { origin: server.origin, seen };
}

const rateLimited =
  (retryAfter: string): TAnswer =>
  (_req, res) => {
    res.setHeader("Retry-After", retryAfter);
    sendJson(res, 429, { error: { code: "rate_limited", message: "too many calls with this key; see Retry-After" } });
  };
const ok =
  (body: unknown = CREDENTIALS): TAnswer =>
  (_req, res) =>
    sendJson(res, 200, body);
const status =
  (code: number, body?: unknown): TAnswer =>
  (_req, res) =>
    body === undefined ? res.writeHead(code).end() : sendJson(res, code, body);

function client(origin: string, extra: Partial<ConstructorParameters<typeof SwitchboardClient>[0]> = {}) {
  const waits: number[] = [];
  const c = new SwitchboardClient({
    baseUrl: origin,
    apiKey: KEY,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0,
    ...extra,
  });
  return { c, waits };
}


describe("the typed client: results and errors", () => {
  it("sends the key as a Bearer token and returns the typed credentials", async () => {
    const { origin, seen } = await scripted([ok()]);
    const { c } = client(origin);
    const creds = await c.getCredentials(UUID);
    expect(creds.credentials.apiKey).toBe("sk-test");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "POST", url: `/api/v1/connections/${UUID}/credentials` });
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]!.url).not.toContain(KEY);
  });

  it("getConnection is a GET on the connection", async () => {
    const meta = { uuid: UUID, provider: "openai", name: "OpenAI", authType: "api_key", status: "connected", lastValidatedAt: null, validationStatus: null, connectedAt: null, expiresAt: null };
    const { origin, seen } = await scripted([ok(meta)]);
    expect(await client(origin).c.getConnection(UUID)).toEqual(meta);
    expect(seen[0]).toMatchObject({ method: "GET", url: `/api/v1/connections/${UUID}` });
  });

  it("turns the API's error body into a SwitchboardError with code and status, without retrying a 4xx", async () => {
    const { origin, seen } = await scripted([status(404, { error: { code: "not_found", message: "no such connection" } })]);
    const err = await caughtClientError(client(origin).c.getCredentials(UUID));
    expect(err).toMatchObject({ code: "not_found", status: 404, message: "no such connection", attempts: 1 });
    expect(seen).toHaveLength(1);
  });

  it("keeps a uuid to one path segment", async () => {
    const { origin, seen } = await scripted([status(404, { error: { code: "not_found", message: "no" } })]);
    await caughtClientError(client(origin).c.getCredentials("../../admin/integrations"));
    expect(seen[0]!.url).toBe("/api/v1/connections/..%2F..%2Fadmin%2Fintegrations/credentials");
  });

  it("never shows the key: not in errors, JSON or inspect output", async () => {
    const { origin } = await scripted([status(401, { error: { code: "unauthorized", message: "unknown key" } })]);
    const { c } = client(origin);
    const err = await caughtClientError(c.getCredentials(UUID));
    expect(err.code).toBe("unauthorized");
    for (const text of [err.message, String(err.stack), inspect(err, { depth: 5 }), JSON.stringify(c), inspect(c, { depth: 5, showHidden: true })]) expect(text).not.toContain(KEY);
  });

  it("does not follow a redirect (the key only goes to baseUrl)", async () => {
    const elsewhere = await startHttpServer((_req, res) => sendJson(res, 200, CREDENTIALS));
    try {
      const { origin } = await scripted([(_req, res) => res.writeHead(302, { location: `${elsewhere.origin}/steal` }).end()]);
      const err = await caughtClientError(client(origin).c.getCredentials(UUID));
      expect(err.status).toBe(302);
      expect(elsewhere.connections()).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });
});

describe("the typed client: retries", () => {
  it("retries a 429 after the Retry-After seconds, then returns the answer", async () => {
    const { origin, seen } = await scripted([rateLimited("2"), ok()]);
    const { c, waits } = client(origin);
    expect((await c.getCredentials(UUID)).uuid).toBe(UUID);
    expect(seen).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it("reads Retry-After as an HTTP date against the clock", async () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    const { origin, seen } = await scripted([rateLimited("Tue, 01 Jan 2030 00:00:05 GMT"), rateLimited("Mon, 31 Dec 2029 23:00:00 GMT"), ok()]);
    const { c, waits } = client(origin, { now: () => now });
    await c.getCredentials(UUID);
    expect(seen).toHaveLength(3);
    // A date in the past means "now".
    expect(waits).toEqual([5000, 0]);
  });

  it("backs off exponentially on 5xx without Retry-After", async () => {
    const { origin, seen } = await scripted([status(503), status(502), status(500), ok()]);
    const { c, waits } = client(origin, { retryBaseDelayMs: 100, random: () => 0.5 });
    await c.getCredentials(UUID);
    expect(seen).toHaveLength(4);
    // half of base·2^n plus half of the jitter: 100·2^n·0.75
    expect(waits).toEqual([75, 150, 300]);
  });

  it("gives up after `retries` retries with the last error and the attempt count", async () => {
    const { origin, seen } = await scripted([rateLimited("1")]);
    const { c, waits } = client(origin, { retries: 2 });
    const err = await caughtClientError(c.getCredentials(UUID));
    expect(err).toMatchObject({ code: "rate_limited", status: 429, retryAfterMs: 1000, attempts: 3 });
    expect(seen).toHaveLength(3);
    expect(waits).toEqual([1000, 1000]);
  });

  it("does not wait for a Retry-After beyond maxRetryDelayMs: the caller gets the 429 at once", async () => {
    const { origin, seen } = await scripted([rateLimited("120"), ok()]);
    const { c, waits } = client(origin, { maxRetryDelayMs: 30_000 });
    const err = await caughtClientError(c.getCredentials(UUID));
    expect(err).toMatchObject({ code: "rate_limited", retryAfterMs: 120_000, attempts: 1 });
    expect(seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("waits for real when no sleep is injected", async () => {
    const { origin, seen } = await scripted([rateLimited("0"), status(503), ok()]);
    const c = new SwitchboardClient({ baseUrl: origin, apiKey: KEY, retryBaseDelayMs: 1 });
    expect((await c.getCredentials(UUID)).uuid).toBe(UUID);
    expect(seen).toHaveLength(3);
  });

  it("retries a network error on a read", async () => {
    const { origin, seen } = await scripted([(req) => req.socket.destroy(), ok()]);
    const { c, waits } = client(origin);
    expect((await c.getCredentials(UUID)).uuid).toBe(UUID);
    expect(seen).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it("reports an unreachable server as network_error after its retries", async () => {
    const { origin } = await scripted([ok()]);
    await server!.close();
    server = undefined;
    const { c } = client(origin, { retries: 1 });
    const err = await caughtClientError(c.getCredentials(UUID));
    expect(err).toMatchObject({ code: "network_error", status: 0, attempts: 2 });
  });

  it("times out an attempt that gets no answer", async () => {
    const { origin, seen } = await scripted([() => undefined]);
    const { c } = client(origin, { timeoutMs: 100, retries: 1 });
    const err = await caughtClientError(c.getCredentials(UUID));
    expect(err).toMatchObject({ code: "timeout", status: 0, attempts: 2 });
    expect(seen).toHaveLength(2);
  });

  it("stops waiting when the caller aborts", async () => {
    const { origin, seen } = await scripted([rateLimited("10"), ok()]);
    const c = new SwitchboardClient({ baseUrl: origin, apiKey: KEY });
    const controller = new AbortController();
    const call = c.getCredentials(UUID, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("caller gave up")), 50);
    await expect(call).rejects.toThrow("caller gave up");
    expect(seen).toHaveLength(1);
  });
});

describe("the typed client: request() through the proxy", () => {
  it("sends the envelope and streams the upstream answer back as a Response", async () => {
    const { origin, seen } = await scripted([(_req, res) => res.writeHead(201, { "content-type": "text/plain", "x-upstream": "yes" }).end("created")]);
    const res = await client(origin).c.request(UUID, { method: "POST", path: "/v1/items", query: { page: 2, all: true, tag: ["x", "y"] }, headers: { "x-trace": "t1" }, body: { name: "a" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-upstream")).toBe("yes");
    expect(await res.text()).toBe("created");
    expect(seen[0]).toMatchObject({ method: "POST", url: `/api/v1/connections/${UUID}/proxy` });
    expect(seen[0]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen[0]!.body)).toEqual({ method: "POST", path: "/v1/items", query: { page: "2", all: "true", tag: ["x", "y"] }, headers: { "x-trace": "t1" }, body: { name: "a" } });
  });

  it("returns a non-2xx answer instead of throwing (it may be the provider's)", async () => {
    const { origin } = await scripted([status(404, { message: "Not Found" })]);
    const res = await client(origin).c.request(UUID, { path: "/missing" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "Not Found" });
  });

  it("retries a 429 for any method, a 5xx only for an idempotent one", async () => {
    const post = await scripted([rateLimited("1"), status(503), ok({ done: true })]);
    const { c, waits } = client(post.origin);
    const res = await c.request(UUID, { method: "POST", path: "/v1/charge" });
    // 429 retried; the 503 of a POST is returned (the provider may have acted on it).
    expect(res.status).toBe(503);
    expect(post.seen).toHaveLength(2);
    expect(waits).toEqual([1000]);
    await server!.close();

    const get = await scripted([status(503), ok({ done: true })]);
    const again = await client(get.origin).c.request(UUID, { method: "GET", path: "/v1/items" });
    expect(again.status).toBe(200);
    expect(get.seen).toHaveLength(2);
  });

  it("does not resend a non-idempotent call after a network error", async () => {
    const { origin, seen } = await scripted([(req) => req.socket.destroy(), ok()]);
    const err = await caughtClientError(client(origin).c.request(UUID, { method: "POST", path: "/v1/charge" }));
    expect(err.code).toBe("network_error");
    expect(seen).toHaveLength(1);
  });
});
