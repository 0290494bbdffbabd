import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboundFetch, OutboundError, resolveOutboundTarget, setOutboundResolver, TARGET_REFUSED_MESSAGE } from "@/lib/integrations/outbound";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { startHttpServer, type THttpStandIn } from "@/tests/support/standins/http-server";
import { STANDIN_CA_FILE, STANDIN_CERT, STANDIN_KEY } from "@/tests/support/standins/tls-fixture";
import { setEnv } from "@/tests/support/test-db";
import { outboundTestEnv } from "@/tests/support/outbound-env";
import { installLoopbackGuard } from "@/tests/support/loopback-guard";

// The outbound policy for HTTP: every case from the Test Connection issue is
// refused with the one generic message, before any connection is made. The
// loopback stand-in counts the connections it accepts: it must see none.

let target: THttpStandIn;
beforeAll(async () => {
  target = await startHttpServer((_req, res) => res.end("you should not see this"));
});
afterAll(async () => target.close());

installLoopbackGuard();
const outbound = outboundTestEnv();

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "ok";
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err;
    if (err.code === "target_refused") expect(err.message).toBe(TARGET_REFUSED_MESSAGE);
    return err.code;
  }
}

describe("outboundFetch refuses internal targets before connecting", () => {
  // [case, URL for a loopback stand-in on port p]
  const cases: [string, (p: number) => string][] = [
    ["metadata address", () => "http://169.254.169.254/latest/meta-data/"],
    ["IPv4-mapped metadata", () => "http://[::ffff:169.254.169.254]/"],
    ["decimal loopback", (p) => `http://2130706433:${p}/`],
    ["hex short loopback", (p) => `http://0x7f.1:${p}/`],
    ["short loopback", (p) => `http://127.1:${p}/`],
    ["IPv6 unspecified", (p) => `http://[::]:${p}/`],
    ["IPv4 unspecified", (p) => `http://0.0.0.0:${p}/`],
    ["6to4 of the metadata address", () => "http://[2002:a9fe:a9fe::1]/"],
    ["NAT64 of the metadata address", () => "http://[64:ff9b::a9fe:a9fe]/"],
    ["userinfo before loopback", (p) => `http://x@127.0.0.1:${p}/`],
    ["localhost with a trailing dot", (p) => `http://localhost.:${p}/`],
    ["IPv6 loopback", (p) => `http://[::1]:${p}/`],
    ["IPv4-mapped loopback", (p) => `http://[::ffff:127.0.0.1]:${p}/`],
    ["private network", () => "http://10.0.0.1/"],
    ["CGNAT", () => "http://100.64.0.1/"],
    ["link-local IPv6", () => "http://[fe80::1]/"],
    ["unique-local IPv6 (AWS metadata)", () => "http://[fd00:ec2::254]/"],
    ["broadcast", () => "http://255.255.255.255/"],
    ["multicast", () => "http://224.0.0.1/"],
    ["Teredo wrapping a private client", () => "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/"],
    ["IPv4-compatible loopback", (p) => `http://[::127.0.0.1]:${p}/`],
    ["a scheme other than http(s)", (p) => `ftp://127.0.0.1:${p}/`],
  ];

  it.each(cases)("%s", async (_label, url) => {
    const before = target.connections();
    expect(await codeOf(outboundFetch(url(target.port)))).toBe("target_refused");
    expect(target.connections()).toBe(before);
  });

  it("no case ever reached the loopback stand-in", () => {
    expect(target.connections()).toBe(0);
  });

  it("refuses a host name whose DNS answer holds a public address and 127.0.0.1", async () => {
    outbound.resolve({ "mixed.example.com": ["93.184.216.34", "127.0.0.1"] });
    expect(await codeOf(outboundFetch(`http://mixed.example.com:${target.port}/`))).toBe("target_refused");
    expect(target.connections()).toBe(0);
  });

  it("refuses a public-looking URL that redirects to the database port on 127.0.0.1", async () => {
    const redirector = await startHttpServer((_req, res) => {
      res.writeHead(302, { location: "http://127.0.0.1:5432/" });
      res.end();
    });
    try {
      outbound.resolve({ "api.public-example.com": ["127.0.0.1"] });
      // Only the redirector's own address:port is opened, as an operator would open one service.
      outbound.allow([`127.0.0.1:${redirector.port}`]);
      expect(await codeOf(outboundFetch(`http://api.public-example.com:${redirector.port}/start`))).toBe("target_refused");
      expect(redirector.connections()).toBe(1);
    } finally {
      await redirector.close();
    }
  });

  it("gives closed, open and filtered internal ports the same answer (no port-scan oracle)", async () => {
    const messages = new Set<string>();
    for (const url of [`http://127.0.0.1:${target.port}/`, "http://127.0.0.1:1/", "http://10.255.255.1:81/"]) {
      const err = await outboundFetch(url).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OutboundError);
      messages.add((err as OutboundError).message);
    }
    expect([...messages]).toEqual([TARGET_REFUSED_MESSAGE]);
    expect(target.connections()).toBe(0);
  });

  it("refuses the same targets for raw TCP probes (SMTP, PostgreSQL, SFTP resolve through one door)", async () => {
    for (const [host, port] of [
      ["169.254.169.254", 25],
      ["::ffff:169.254.169.254", 22],
      ["2130706433", 5432],
      ["0x7f.1", 5432],
      ["127.1", 5432],
      ["::", 587],
      ["0.0.0.0", 587],
      ["2002:a9fe:a9fe::1", 22],
      ["64:ff9b::a9fe:a9fe", 22],
      ["localhost.", 5432],
      ["127.0.0.1", 5432],
    ] as const) {
      expect.soft(await codeOf(resolveOutboundTarget(host, port)), `${host}:${port}`).toBe("target_refused");
    }
  });
});

describe("the allow-list and the caps", () => {
  it("opens exactly the listed address and port", async () => {
    outbound.allow([`127.0.0.1:${target.port}`]);
    const res = await outboundFetch(`${target.origin}/`);
    expect(await res.text()).toBe("you should not see this");
    expect(await codeOf(outboundFetch("http://127.0.0.1:5432/"))).toBe("target_refused");
  });

  it("pins the checked address: a host name resolved once is connected by address, Host stays the name", async () => {
    const seen: string[] = [];
    const server = await startHttpServer((req, res) => {
      seen.push(req.headers.host ?? "");
      res.end("pinned");
    });
    try {
      outbound.resolve({ "service.internal": ["127.0.0.1"] });
      outbound.allow([`service.internal:${server.port}`]);
      expect(await (await outboundFetch(`http://service.internal:${server.port}/`)).text()).toBe("pinned");
      expect(seen).toEqual([`service.internal:${server.port}`]);
    } finally {
      await server.close();
    }
  });

  it("connects over TLS to the pinned address and still verifies the certificate against the host name", async () => {
    const server = https.createServer({ cert: STANDIN_CERT, key: STANDIN_KEY }, (_req, res) => res.end("tls ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      setEnv("SWITCHBOARD_OUTBOUND_CA_FILE", STANDIN_CA_FILE);
      // The certificate names standin.test; other.test resolves to the same address but is not in it.
      outbound.resolve({ "standin.test": ["127.0.0.1"], "other.test": ["127.0.0.1"] });
      outbound.allow([`127.0.0.1:${port}`]);
      expect(await (await outboundFetch(`https://standin.test:${port}/`)).text()).toBe("tls ok");
      const err = await outboundFetch(`https://other.test:${port}/`).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "tls_failed", message: `The TLS certificate of other.test:${port} is not valid for this host name.` });
      setEnv("SWITCHBOARD_OUTBOUND_CA_FILE", undefined);
      expect(await codeOf(outboundFetch(`https://standin.test:${port}/`))).toBe("tls_failed");
    } finally {
      setEnv("SWITCHBOARD_OUTBOUND_CA_FILE", undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("cuts off a slow-drip body at the total timeout", async () => {
    const drip = await startHttpServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => res.write("x"), 50);
      res.on("close", () => clearInterval(timer));
    });
    try {
      outbound.allow([`127.0.0.1:${drip.port}`]);
      expect(await codeOf(outboundFetch(`${drip.origin}/`, { timeoutMs: 600 }))).toBe("timeout");
    } finally {
      await drip.close();
    }
  });

  it("cuts off a 100 MB body at the size cap without reading it all", async () => {
    let sent = 0;
    const big = await startHttpServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const chunk = Buffer.alloc(64 * 1024, 120);
      const pump = () => {
        while (sent < 100 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    try {
      outbound.allow([`127.0.0.1:${big.port}`]);
      expect(await codeOf(outboundFetch(`${big.origin}/`, { maxBytes: 1024 * 1024 }))).toBe("too_large");
      expect(sent).toBeLessThan(100 * 1024 * 1024);
    } finally {
      await big.close();
    }
  });

  it("refuses a declared Content-Length over the cap at once", async () => {
    const big = await startHttpServer((_req, res) => {
      res.writeHead(200, { "content-length": String(100 * 1024 * 1024) });
      res.write("x");
    });
    try {
      outbound.allow([`127.0.0.1:${big.port}`]);
      expect(await codeOf(outboundFetch(`${big.origin}/`, { maxBytes: 1024 }))).toBe("too_large");
    } finally {
      await big.close();
    }
  });

  it("follows at most 3 redirects and drops caller headers when the origin changes", async () => {
    const seen: (string | undefined)[] = [];
    const other = await startHttpServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end("landed");
    });
    const hops = await startHttpServer((req, res) => {
      const n = Number(new URL(req.url ?? "/", "http://x").searchParams.get("n") ?? "0");
      seen.push(req.headers.authorization);
      res.writeHead(302, { location: n >= 2 ? `${other.origin}/end` : `/?n=${n + 1}` });
      res.end();
    });
    try {
      outbound.allow([`127.0.0.1:${hops.port}`, `127.0.0.1:${other.port}`]);
      const res = await outboundFetch(`${hops.origin}/?n=0`, { headers: { authorization: "Bearer canary" } });
      expect(await res.text()).toBe("landed");
      expect(seen).toEqual(["Bearer canary", "Bearer canary", "Bearer canary", undefined]);
      expect(await codeOf(outboundFetch(`${hops.origin}/?n=0`, { maxRedirects: 2 }))).toBe("too_many_redirects");
    } finally {
      await hops.close();
      await other.close();
    }
  });
});

describe("DNS: one lookup per hop, every answer checked, the connection pinned", () => {
  it("a name that rebinds after the check is still connected to the checked address (no second lookup)", async () => {
    const server = await startHttpServer((_req, res) => res.end("checked address"));
    try {
      let lookups = 0;
      // First answer: the allow-listed stand-in. Any later answer: the metadata service.
      setOutboundResolver(async () => (lookups++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "169.254.169.254", family: 4 }]));
      outbound.allow([`rebind.example.com:${server.port}`]);
      expect(await (await outboundFetch(`http://rebind.example.com:${server.port}/`)).text()).toBe("checked address");
      expect(lookups).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("checks A and AAAA answers alike: a public IPv4 with a loopback IPv6 is refused", async () => {
    outbound.resolve({ "dual.example.com": ["93.184.216.34", "::1"] });
    expect(await codeOf(outboundFetch(`http://dual.example.com:${target.port}/`))).toBe("target_refused");
    outbound.resolve({ "dual6.example.com": ["2606:4700:4700::1111", "fd00::5"] });
    expect(await codeOf(resolveOutboundTarget("dual6.example.com", 443))).toBe("target_refused");
  });
});

describe("redirects keep a body and credentials only within their origin", () => {
  it("a 307 to another origin is not followed: the POST body and headers stay home, the 307 comes back", async () => {
    const landed: string[] = [];
    const other = await startHttpServer((req, res) => {
      landed.push(`${req.method} ${req.headers.authorization ?? "-"}`);
      res.end("elsewhere");
    });
    const start = await startHttpServer((_req, res) => {
      res.writeHead(307, { location: `${other.origin}/collect` });
      res.end();
    });
    try {
      outbound.allow([`127.0.0.1:${start.port}`, `127.0.0.1:${other.port}`]);
      const res = await outboundFetch(`${start.origin}/token`, { method: "POST", body: "refresh_token=canary", headers: { authorization: "Basic Y2FuYXJ5" } });
      expect(res.status).toBe(307);
      expect(landed).toEqual([]);
      expect(other.connections()).toBe(0);
    } finally {
      await start.close();
      await other.close();
    }
  });

  it("a 308 within the origin keeps the method, the body and the headers", async () => {
    const seen: string[] = [];
    const server = await startHttpServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push(`${req.method} ${req.url} ${body} ${req.headers.authorization ?? "-"}`);
        if (req.url === "/old") res.writeHead(308, { location: "/new" }).end();
        else res.end("moved");
      });
    });
    try {
      outbound.allow([`127.0.0.1:${server.port}`]);
      const res = await outboundFetch(`${server.origin}/old`, { method: "POST", body: "a=1", headers: { authorization: "Bearer same-origin" } });
      expect(await res.text()).toBe("moved");
      expect(seen).toEqual(["POST /old a=1 Bearer same-origin", "POST /new a=1 Bearer same-origin"]);
    } finally {
      await server.close();
    }
  });

  it("an https → plain http redirect is refused (no downgrade), even to an allow-listed target", async () => {
    const plain = await startHttpServer((_req, res) => res.end("plain"));
    const server = https.createServer({ cert: STANDIN_CERT, key: STANDIN_KEY }, (_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${plain.port}/` });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      setEnv("SWITCHBOARD_OUTBOUND_CA_FILE", STANDIN_CA_FILE);
      outbound.resolve({ "standin.test": ["127.0.0.1"] });
      outbound.allow([`127.0.0.1:${port}`, `127.0.0.1:${plain.port}`]);
      expect(await codeOf(outboundFetch(`https://standin.test:${port}/`))).toBe("insecure_redirect");
      expect(plain.connections()).toBe(0);
    } finally {
      setEnv("SWITCHBOARD_OUTBOUND_CA_FILE", undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await plain.close();
    }
  });
});
