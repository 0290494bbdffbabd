import { beforeAll, describe, expect, it } from "vitest";
import { addConnection, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { createLimiter } from "@/lib/rate-limit/service/limiter";
import { newKey } from "../support/admin-api";
import { consumerFixture, type TDataPlane } from "../support/consumer-fixture";
import { unwrap } from "../support/results";

// The consumer API's rate limit: spent locally, settled with the shared
// PostgreSQL counter (the one every instance uses) in batches. The data plane
// runs in this process with a small limit.

const LIMIT = 20;

let ctx: TServiceContext;
let plane: TDataPlane;
let uuid: string;

const consumer = consumerFixture({ env: { SWITCHBOARD_CONSUMER_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
beforeAll(async () => {
  ({ ctx, plane } = consumer);
  uuid = unwrap(await addConnection(ctx, { provider: "openai", name: "limited" })).uuid;
  unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-limited-00000000" } }));
});

const call = (key: string) => fetch(`${plane.url}/api/v1/connections/${uuid}/credentials`, { method: "POST", headers: { authorization: `Bearer ${key}` } });

describe("consumer API rate limit", () => {
  it("allows exactly the limit per key per minute, then 429 rate_limited with Retry-After; other keys are unaffected", async () => {
    const { key } = await newKey(ctx, "consumer", { allowedConnections: [uuid] });
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 5; i++) statuses.push((await call(key)).status);
    expect(statuses).toEqual([...Array.from({ length: LIMIT }, () => 200), ...Array.from({ length: 5 }, () => 429)]);
    const refused = await call(key);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    const other = await newKey(ctx, "consumer", { allowedConnections: [uuid] });
    expect((await call(other.key)).status).toBe(200);
  });

  it("counts what other instances spent: the shared counter decides", async () => {
    const { key, id } = await newKey(ctx, "consumer", { allowedConnections: [uuid] });
    // Another instance settles the whole minute's budget for this key.
    await createLimiter({ keyPrefix: "consumer-key", points: LIMIT, durationSeconds: 60 }).consume(id, LIMIT);
    const r = await call(key);
    expect(r.status).toBe(429);
  });

  it("settles local spending with the shared counter within a fraction of a second", async () => {
    const { key, id } = await newKey(ctx, "consumer", { allowedConnections: [uuid] });
    for (let i = 0; i < 10; i++) expect((await call(key)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 600));
    expect(await createLimiter({ keyPrefix: "consumer-key", points: LIMIT, durationSeconds: 60 }).used(id)).toBe(10);
  });
});
