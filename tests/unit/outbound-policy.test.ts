import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "@/lib/env";
import { isPublicAddress } from "@/lib/integrations/outbound/address-policy";
import { parseAllowEntry } from "@/lib/integrations/outbound/allow-entry";
import { isAllowListed } from "@/lib/integrations/outbound/allow-list";
import { canonicalHost, resolveOutboundTarget, setOutboundResolver } from "@/lib/integrations/outbound/resolve-target";

const saved = process.env.SWITCHBOARD_OUTBOUND_ALLOW;
afterEach(() => {
  if (saved === undefined) delete process.env.SWITCHBOARD_OUTBOUND_ALLOW;
  else process.env.SWITCHBOARD_OUTBOUND_ALLOW = saved;
  resetEnvCache();
});

describe("the address policy", () => {
  it.each([
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.100.100.200", "0.0.0.0",
    "255.255.255.255", "224.0.0.1", "192.0.2.1", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "2002:a9fe:a9fe::1", "2002:7f00:1::", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1",
    "2001:0:4136:e378:8000:63bf:f5ff:fffe", "::127.0.0.1", "2001:db8::1", "not an address",
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.216.34", "64:ff9b::5db8:d822", "2002:5db8:d822::1"])("accepts public %s", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe("host canonicalization", () => {
  it.each([
    ["2130706433", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["LocalHost.", "localhost"],
    ["[::1]", "::1"],
    ["::ffff:169.254.169.254", "::ffff:a9fe:a9fe"],
    ["smtp.Example.com", "smtp.example.com"],
  ])("%s → %s", (input, expected) => {
    expect(canonicalHost(input)).toBe(expected);
  });

  it.each(["", "a b", "x@127.0.0.1", "host/path", "[::1"])("rejects %j", (input) => {
    expect(canonicalHost(input)).toBeNull();
  });
});

describe("SWITCHBOARD_OUTBOUND_ALLOW", () => {
  it("parses CIDRs, addresses, address:port and host:port entries", () => {
    expect(parseAllowEntry("10.0.0.0/8")?.kind).toBe("cidr");
    expect(parseAllowEntry("192.168.1.20")?.kind).toBe("cidr");
    expect(parseAllowEntry("127.0.0.1:2525")).toEqual({ kind: "address_port", address: "127.0.0.1", port: 2525 });
    expect(parseAllowEntry("[::1]:2525")).toEqual({ kind: "address_port", address: "0:0:0:0:0:0:0:1", port: 2525 });
    expect(parseAllowEntry("SMTP.internal.:587")).toEqual({ kind: "host_port", host: "smtp.internal", port: 587 });
    for (const bad of ["10.0.0.0/99", "host", "host:0", "host:99999", "*:22", "http://x:1"]) expect(parseAllowEntry(bad)).toBeNull();
  });

  it("fails start-up with a clear message on a bad entry", () => {
    process.env.SWITCHBOARD_OUTBOUND_ALLOW = "127.0.0.1:2525, nonsense";
    resetEnvCache();
    expect(() => env()).toThrow(/SWITCHBOARD_OUTBOUND_ALLOW\.1: entries look like/);
  });

  it("opens exactly what it lists", () => {
    process.env.SWITCHBOARD_OUTBOUND_ALLOW = "10.0.0.0/8,127.0.0.1:2525,smtp.internal:587";
    resetEnvCache();
    expect(isAllowListed({ host: "db.lan", address: "10.2.3.4", port: 5432 })).toBe(true);
    expect(isAllowListed({ host: "x", address: "::ffff:10.2.3.4", port: 5432 })).toBe(true);
    expect(isAllowListed({ host: "127.0.0.1", address: "127.0.0.1", port: 2525 })).toBe(true);
    expect(isAllowListed({ host: "127.0.0.1", address: "127.0.0.1", port: 5432 })).toBe(false);
    expect(isAllowListed({ host: "smtp.internal.", address: "192.168.9.9", port: 587 })).toBe(true);
    expect(isAllowListed({ host: "smtp.internal", address: "192.168.9.9", port: 25 })).toBe(false);
    expect(isAllowListed({ host: "other", address: "192.168.9.9", port: 587 })).toBe(false);
  });
});

describe("the always-deny list (cloud metadata), whatever SWITCHBOARD_OUTBOUND_ALLOW opens", () => {
  const wideOpen = "0.0.0.0/0,::/0,169.254.0.0/16,100.64.0.0/10,168.63.0.0/16,fd00::/8,2002::/16,64:ff9b::/96,metadata.google.internal:80";
  afterEach(() => setOutboundResolver(null));

  it.each([
    "169.254.169.254",
    "::ffff:169.254.169.254",
    "::ffff:a9fe:a9fe",
    "64:ff9b::a9fe:a9fe",
    "2002:a9fe:a9fe::1",
    "::169.254.169.254",
    "fd00:ec2::254",
    "100.100.100.200",
    "::ffff:100.100.100.200",
    "168.63.129.16",
    "64:ff9b::a83f:8110",
    "64:ff9b:1::a9fe:a9fe",
    "2002:a83f:8110::1",
    "169.254.170.2",
  ])("refuses %s even when the allow-list opens its range", async (address) => {
    process.env.SWITCHBOARD_OUTBOUND_ALLOW = wideOpen;
    resetEnvCache();
    await expect(resolveOutboundTarget(address, 80)).rejects.toMatchObject({ code: "target_refused" });
    // And as a DNS answer for an innocent-looking name.
    setOutboundResolver(async () => [{ address, family: address.includes(":") ? 6 : 4 }]);
    await expect(resolveOutboundTarget("innocent.example.com", 80)).rejects.toMatchObject({ code: "target_refused" });
  });

  it.each(["metadata.google.internal", "METADATA.google.internal.", "metadata.goog", "metadata"])("refuses the metadata host name %s before any lookup", async (host) => {
    process.env.SWITCHBOARD_OUTBOUND_ALLOW = wideOpen;
    resetEnvCache();
    let lookups = 0;
    setOutboundResolver(async () => (lookups++, [{ address: "93.184.216.34", family: 4 }]));
    await expect(resolveOutboundTarget(host, 80)).rejects.toMatchObject({ code: "target_refused" });
    expect(lookups).toBe(0);
  });

  it("Azure's wireserver is not a public address even without an allow-list", () => {
    expect(isPublicAddress("168.63.129.16")).toBe(false);
  });

  it("the wide-open allow-list still opens ordinary private targets (the deny list is narrow)", async () => {
    process.env.SWITCHBOARD_OUTBOUND_ALLOW = wideOpen;
    resetEnvCache();
    await expect(resolveOutboundTarget("10.0.0.5", 5432)).resolves.toMatchObject({ host: "10.0.0.5" });
    await expect(resolveOutboundTarget("169.254.10.10", 80)).resolves.toMatchObject({ host: "169.254.10.10" });
  });
});
