import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import aws4 from "aws4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addConnection, authenticatedRequest, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { allowLoopbackOutbound } from "../support/oauth";
import { unwrap } from "../support/results";
import { createFirstOrg, setEnv, setupTestDatabase, type TestDatabase } from "../support/test-db";

// Where each auth type's credential goes, read from the registry, against a
// local upstream that records what it received.

let testDb: TestDatabase;
let ctx: TServiceContext;
let upstream: Server;
let base: string;
const seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ url: req.url ?? "", headers: req.headers, body });
      res.writeHead(req.url?.startsWith("/empty") ? 204 : 200, { "content-type": "application/json" }).end(req.url?.startsWith("/empty") ? undefined : '{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  testDb = await setupTestDatabase();
  allowLoopbackOutbound();
  setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", `openai=${base},anthropic=${base},twilio=${base},telegram=${base},aws_ses=${base},s3=${base}`);
  ctx = await createFirstOrg();
});
afterAll(async () => {
  setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", undefined);
  await testDb?.teardown();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

async function connection(provider: string, attrs: Record<string, string>): Promise<string> {
  const { uuid } = unwrap(await addConnection(ctx, { provider, name: `c${seen.length}-${Math.random().toString(36).slice(2, 8)}` }));
  unwrap(await saveSetup(ctx, { uuid, attrs }));
  return uuid;
}

describe("authenticatedRequest per auth type", () => {
  it("api_key with Bearer (OpenAI): the caller's own Authorization header is replaced, the body passes", async () => {
    const uuid = await connection("openai", { api_key: "sk-test-1" });
    const r = unwrap(await authenticatedRequest(ctx, uuid, { method: "POST", url: `${base}/v1/chat`, headers: { authorization: "Bearer attacker", "content-type": "application/json" }, body: '{"x":1}' }));
    expect(r).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect(seen.at(-1)).toMatchObject({ url: "/v1/chat", body: '{"x":1}', headers: { authorization: "Bearer sk-test-1" } });
  });

  it("the provider's own header and fixed headers (Anthropic x-api-key + anthropic-version)", async () => {
    const uuid = await connection("anthropic", { api_key: "sk-ant-1" });
    expect(unwrap(await authenticatedRequest(ctx, uuid, { method: "GET", url: `${base}/v1/models` })).status).toBe(200);
    expect(seen.at(-1)!.headers).toMatchObject({ "x-api-key": "sk-ant-1", "anthropic-version": "2023-06-01" });
    expect(seen.at(-1)!.headers.authorization).toBeUndefined();
  });

  it("key_secret with basic auth (Twilio); a 204 comes back without a body", async () => {
    const uuid = await connection("twilio", { account_sid: "AC123", key_sid: "SK456", key_secret: "s3cret" });
    expect(unwrap(await authenticatedRequest(ctx, uuid, { method: "DELETE", url: `${base}/empty` })).status).toBe(204);
    expect(seen.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from("SK456:s3cret").toString("base64")}`);
  });

  it("AWS (SES, S3): requests signed with SigV4 by the SDK signer, checked by an independent implementation (aws4)", async () => {
    for (const [provider, service, method, path, body] of [
      ["aws_ses", "ses", "POST", "/v2/email/outbound-emails", '{"Content":{}}'],
      ["s3", "s3", "GET", "/my-bucket/some%20key.txt?list-type=2", ""],
    ] as const) {
      const attrs = { access_key_id: "AKIDEXAMPLE", secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "eu-west-1" };
      const uuid = await connection(provider, provider === "s3" ? { ...attrs, bucket: "my-bucket" } : { ...attrs, from_email: "ops@example.com" });
      const r = unwrap(await authenticatedRequest(ctx, uuid, { method, url: `${base}${path}`, headers: { "content-type": "application/json" }, body: body || undefined }));
      expect(r.status).toBe(200);
      const got = seen.at(-1)!;
      const auth = String(got.headers.authorization);
      expect(auth).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-west-1/${service}/aws4_request, SignedHeaders=`));
      const signedNames = /SignedHeaders=([^,]+)/.exec(auth)![1]!.split(";");
      const headers = Object.fromEntries(signedNames.map((n) => [n, String(got.headers[n])]));
      const independent = new aws4.RequestSigner(
        { host: headers.host, method, path: got.url, service, region: "eu-west-1", headers, body: got.body, doNotEncodePath: service === "s3" },
        { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
      ) as unknown as { prepareRequest(): void; authHeader(): string; request: { headers: Record<string, unknown> } };
      independent.prepareRequest();
      // aws4 adds Content-Length to what it signs; sign exactly the headers the request names.
      for (const name of Object.keys(independent.request.headers)) if (!signedNames.includes(name.toLowerCase())) delete independent.request.headers[name];
      expect(/Signature=([0-9a-f]+)/.exec(auth)![1], provider).toBe(/Signature=([0-9a-f]+)/.exec(independent.authHeader())![1]);
    }
  });

  it("a token that belongs in the URL path (Telegram) is not proxied", async () => {
    const uuid = await connection("telegram", { bot_token: "123:abc-0123456789abcdefghijklmnopqrstuvwx" });
    const before = seen.length;
    const r = await authenticatedRequest(ctx, uuid, { method: "GET", url: `${base}/bot/getMe` });
    expect(r.ok ? "ok" : r.error.code).toBe("unsupported");
    expect(seen.length).toBe(before);
  });

  it("bad input changes nothing and sends nothing", async () => {
    const uuid = await connection("openai", { api_key: "sk-test-2" });
    const before = seen.length;
    for (const request of [
      { method: "TRACE", url: `${base}/x` },
      { method: "GET", url: "not a url" },
      { method: "GET", url: `${base}/x`, headers: { "bad header": "x" } },
    ]) {
      const r = await authenticatedRequest(ctx, uuid, request as never);
      expect(r.ok ? "ok" : r.error.code).toBe("invalid");
    }
    const other = await authenticatedRequest({ orgId: "00000000-0000-7000-8000-000000000000", actor: ctx.actor }, uuid, { method: "GET", url: `${base}/x` });
    expect(other.ok ? "ok" : other.error.code).toBe("not_configured");
    expect(seen.length).toBe(before);
  });
});
