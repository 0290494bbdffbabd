import { afterEach } from "vitest";
import { setOutboundResolver, type TResolver } from "@/lib/integrations/outbound";
import { setEnv } from "./test-db";

// Outbound tests open exactly the stand-ins they start (SWITCHBOARD_OUTBOUND_ALLOW)
// and script DNS answers with an injected resolver; both are reset after each test.

export function outboundTestEnv(): { allow(entries: string[]): void; resolve(answers: Record<string, string[]>): void } {
  afterEach(() => {
    setEnv("SWITCHBOARD_OUTBOUND_ALLOW", undefined);
    setOutboundResolver(null);
  });
  return {
    allow: (entries) => setEnv("SWITCHBOARD_OUTBOUND_ALLOW", entries.join(",")),
    resolve: (answers) => {
      const resolver: TResolver = async (name) => {
        const list = answers[name];
        if (!list) throw Object.assign(new Error(`ENOTFOUND ${name}`), { code: "ENOTFOUND" });
        return list.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
      };
      setOutboundResolver(resolver);
    },
  };
}
