import { beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "@/lib/api-keys/key-format";
import { revokeApiKey } from "@/lib/api-keys/service/revoke-api-key";
import { addConnection, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { newKey } from "../support/admin-api";
import { consumerFixture, type TDataPlane } from "../support/consumer-fixture";
import { unwrap } from "../support/results";

// M5: /api/v1 shares the admin API's refused-key throttle
// (lib/api-keys/refused-key-throttle.ts): past
// SWITCHBOARD_API_REFUSED_KEYS_PER_MINUTE refused keys from one address, a key
// that is not already verified in the key cache gets 429 with Retry-After
// before it is hashed or looked up. A warm (cached) key is served on.

let ctx: TServiceContext;
let plane: TDataPlane;

const consumer = consumerFixture({
  captureLogs: true,
  // The requests come "through a proxy" from the address they name.
  env: { SWITCHBOARD_API_REFUSED_KEYS_PER_MINUTE: "3", SWITCHBOARD_TRUSTED_PROXIES: "127.0.0.1" },
});
beforeAll(() => ({ ctx, plane } = consumer));

describe("refused consumer keys", () => {
  it("are throttled per client address before the lookup: 429 with Retry-After, a warm key and other addresses unaffected", async () => {
    const { uuid } = unwrap(await addConnection(ctx, { provider: "openai", name: "throttle" }));
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-throttle-1234" } }));
    const warm = (await newKey(ctx, "consumer", { allowedConnections: [uuid] })).key;
    const cold = (await newKey(ctx, "consumer", { allowedConnections: [uuid] })).key;
    const revoked = await newKey(ctx, "consumer", { allowedConnections: [uuid] });
    unwrap(await revokeApiKey(ctx, { id: revoked.id }));
    const from = (address: string, key: string) =>
      fetch(`${plane.url}/api/v1/connections/${uuid}/credentials`, { method: "POST", headers: { authorization: `Bearer ${key}`, "x-forwarded-for": address } });

    expect((await from("203.0.113.7", warm)).status).toBe(200); // verified once: now in the key cache
    for (const guess of [generateApiKey().key, "swb_nope", generateApiKey().key]) expect((await from("203.0.113.7", guess)).status).toBe(401);

    for (const key of [generateApiKey().key, revoked.key, cold]) {
      const limited = await from("203.0.113.7", key);
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/Too many refused API keys from your address; try again in \d+ s\./) } });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    expect((await from("203.0.113.7", warm)).status).toBe(200); // the warm path asks the throttle nothing
    expect((await from("198.51.100.9", cold)).status).toBe(200); // another address
  });
});
