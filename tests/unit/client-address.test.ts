import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { clientAddress, PEER_ADDRESS_HEADER, stampPeerAddresses, UNKNOWN_ADDRESS } from "@/lib/auth/client-address";
import { resetEnvCache } from "@/lib/env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

function trust(proxies: string): void {
  process.env.SWITCHBOARD_TRUSTED_PROXIES = proxies;
  resetEnvCache();
}

const req = (peer: string | undefined, xff?: string) => ({ [PEER_ADDRESS_HEADER]: peer, "x-forwarded-for": xff });

describe("clientAddress", () => {
  it("without trusted proxies, is the socket address whatever X-Forwarded-For says", () => {
    trust("");
    expect(clientAddress(req("203.0.113.7"))).toBe("203.0.113.7");
    expect(clientAddress(req("203.0.113.7", "198.51.100.1"))).toBe("203.0.113.7");
    expect(clientAddress(req("::ffff:203.0.113.7", "198.51.100.1"))).toBe("203.0.113.7");
  });

  it("believes X-Forwarded-For only from a trusted proxy, hop by hop from the right", () => {
    trust("10.0.0.2, 10.1.0.0/16");
    // The proxy appended the address it saw; whatever the client wrote before it is ignored.
    expect(clientAddress(req("10.0.0.2", "6.6.6.6, 203.0.113.7"))).toBe("203.0.113.7");
    // Two trusted hops: the inner one vouches for the outer one, which vouches for the client.
    expect(clientAddress(req("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.1.4.4"))).toBe("203.0.113.7");
    // A peer that is not a trusted proxy: its header is ignored.
    expect(clientAddress(req("10.0.0.3", "203.0.113.7"))).toBe("10.0.0.3");
    // A trusted proxy that forwarded nothing usable: the proxy is the client as far as we know.
    expect(clientAddress(req("10.0.0.2"))).toBe("10.0.0.2");
    expect(clientAddress(req("10.0.0.2", "not-an-ip"))).toBe("10.0.0.2");
    expect(clientAddress(req("10.0.0.2", "[2001:db8::1]"))).toBe("2001:db8::/64");
  });

  it("counts an IPv6 client by its /64, which it can pick any address from", () => {
    trust("");
    expect(clientAddress(req("2001:db8:1:2:aaaa::1"))).toBe("2001:db8:1:2::/64");
    expect(clientAddress(req("2001:db8:1:2:bbbb::9"))).toBe("2001:db8:1:2::/64");
    expect(clientAddress(req("2001:db8:1:3::1"))).toBe("2001:db8:1:3::/64");
  });

  it("is 'unknown' when the request carries no stamped socket address", () => {
    expect(clientAddress(req(undefined, "203.0.113.7"))).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(req("garbage"))).toBe(UNKNOWN_ADDRESS);
  });

  it("reads a Fetch Headers object too", () => {
    trust("127.0.0.1");
    expect(clientAddress(new Headers({ [PEER_ADDRESS_HEADER]: "127.0.0.1", "x-forwarded-for": "203.0.113.9" }))).toBe("203.0.113.9");
  });
});

describe("stampPeerAddresses", () => {
  it("stamps each request with its socket address, overwriting a value the client sent", async () => {
    stampPeerAddresses();
    stampPeerAddresses(); // idempotent
    const server = http.createServer((request, response) => response.end(String(request.headers[PEER_ADDRESS_HEADER])));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_ADDRESS_HEADER]: "6.6.6.6" } });
      expect(await res.text()).toBe("127.0.0.1");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
