import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { addConnection, disconnect, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { newKey } from "../support/admin-api";
import { consumerFixture, type TDataPlane } from "../support/consumer-fixture";
import { unwrap } from "../support/results";

// M7: a connection with no account connected (never, disconnected since, or a
// row whose credential is empty) answers 409 connection_unusable on
// /credentials and /proxy, as the README promises: never 200 with the setup
// fields only, and the proxy sends nothing upstream (no "Bearer " with an
// empty token).

let ctx: TServiceContext;
let plane: TDataPlane;
const seen: string[] = [];

const consumer = consumerFixture({
  openaiUpstream: (req, res) => {
    seen.push(req.headers.authorization ?? "<none>");
    res.writeHead(200, { "content-type": "application/json" }).end('{"data":[]}');
  },
});
beforeAll(() => ({ ctx, plane } = consumer));

async function call(uuid: string, key: string, what: "credentials" | "proxy"): Promise<{ status: number; body: { error?: { code: string }; credentials?: Record<string, string> } }> {
  const res = await fetch(`${plane.url}/api/v1/connections/${uuid}/${what}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: what === "proxy" ? JSON.stringify({ method: "GET", path: "/models" }) : undefined,
  });
  return { status: res.status, body: (await res.json()) as never };
}

describe("a connection with no account connected", () => {
  it("answers 409 connection_unusable on /credentials and /proxy and sends nothing upstream: never connected, disconnected, empty secret", async () => {
    const { uuid } = unwrap(await addConnection(ctx, { provider: "openai", name: "unusable" }));
    const key = (await newKey(ctx, "consumer", { allowedConnections: [uuid] })).key;

    // Never connected.
    for (const what of ["credentials", "proxy"] as const) {
      const r = await call(uuid, key, what);
      expect([what, r.status, r.body.error?.code]).toEqual([what, 409, "connection_unusable"]);
    }
    expect(seen).toEqual([]);

    // Connected: the control (200, the key sent upstream).
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-usable-12345678" } }));
    expect((await call(uuid, key, "credentials")).body.credentials?.api_key).toBe("sk-usable-12345678");
    expect((await call(uuid, key, "proxy")).status).toBe(200);
    expect(seen).toEqual(["Bearer sk-usable-12345678"]);

    // Disconnected.
    unwrap(await disconnect(ctx, { uuid }));
    for (const what of ["credentials", "proxy"] as const) {
      const r = await call(uuid, key, what);
      expect([what, r.status, r.body.error?.code]).toEqual([what, 409, "connection_unusable"]);
    }
    expect(seen).toHaveLength(1);

    // A row that says "configured" but whose key is empty (tampered, or an older version's state): nothing is sent.
    const prisma = await db();
    const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
    await prisma.setting.update({ where: { uuid }, data: { value: { ...(row.value as object), status: "configured" } } });
    const proxied = await call(uuid, key, "proxy");
    expect([proxied.status, proxied.body.error?.code]).toEqual([409, "connection_unusable"]);
    expect(seen).toHaveLength(1);
  });
});
