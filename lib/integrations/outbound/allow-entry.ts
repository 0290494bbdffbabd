import "server-only";
import ipaddr from "ipaddr.js";

// One entry of SWITCHBOARD_OUTBOUND_ALLOW (see allow-list.ts). Kept apart
// from the list so lib/env.ts can validate entries without a cycle.

export type TAllowEntry =
  | { kind: "cidr"; range: [ipaddr.IPv4 | ipaddr.IPv6, number] }
  | { kind: "address_port"; address: string; port: number }
  | { kind: "host_port"; host: string; port: number };

const HOST_RE = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 65_535 ? n : null;
}

/** One allow-list entry, or null when it is not one of the documented shapes. */
export function parseAllowEntry(raw: string): TAllowEntry | null {
  const entry = raw.trim().toLowerCase();
  if (entry.includes("/")) {
    try {
      return { kind: "cidr", range: ipaddr.parseCIDR(entry) };
    } catch {
      return null;
    }
  }
  if (ipaddr.isValid(entry) && !/^\d+$/.test(entry)) {
    const ip = ipaddr.parse(entry);
    return { kind: "cidr", range: [ip, ip.kind() === "ipv4" ? 32 : 128] };
  }
  const bracketed = /^\[([0-9a-f:.]+)\]:(\d+)$/.exec(entry);
  if (bracketed) {
    const port = parsePort(bracketed[2]!);
    if (port === null || !ipaddr.IPv6.isValid(bracketed[1]!)) return null;
    return { kind: "address_port", address: ipaddr.parse(bracketed[1]!).toNormalizedString(), port };
  }
  const colon = entry.lastIndexOf(":");
  if (colon <= 0) return null;
  const host = entry.slice(0, colon).replace(/\.$/, "");
  const port = parsePort(entry.slice(colon + 1));
  if (port === null) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return { kind: "address_port", address: ipaddr.parse(host).toNormalizedString(), port };
  return HOST_RE.test(host) ? { kind: "host_port", host, port } : null;
}
