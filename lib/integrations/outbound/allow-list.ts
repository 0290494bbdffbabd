import "server-only";
import ipaddr from "ipaddr.js";
import { env } from "@/lib/env";
import { addressForms } from "./address-policy";
import { parseAllowEntry, type TAllowEntry } from "./allow-entry";

// SWITCHBOARD_OUTBOUND_ALLOW opens targets the address policy refuses, for
// self-hosted services (an SMTP relay on the LAN, a database on a private
// network) and for the test suite's stand-ins on 127.0.0.1. Entries:
//   10.0.0.0/8, fd00::/8   a network (CIDR), any port
//   192.168.1.20           one address, any port
//   127.0.0.1:2525         one address and port ([::1]:2525 for IPv6)
//   smtp.internal:587      a host name and port (matched on the name the operator typed)

let cached: { source: string[]; entries: TAllowEntry[] } | undefined;

function entries(): TAllowEntry[] {
  const source = env().SWITCHBOARD_OUTBOUND_ALLOW;
  if (cached?.source !== source) cached = { source, entries: source.map(parseAllowEntry).filter((e): e is TAllowEntry => e !== null) };
  return cached.entries;
}

function sameFamilyMatch(ip: ipaddr.IPv4 | ipaddr.IPv6, range: [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean {
  return ip.kind() === range[0].kind() && ip.match(range as [never, number]);
}

/** Is this connection (the name the operator typed, the address it resolved to, the port) opened by the allow-list? */
export function isAllowListed(target: { host: string; address: string; port: number }): boolean {
  const host = target.host.toLowerCase().replace(/\.$/, "");
  const forms = addressForms(target.address);
  const normalized = forms[0]?.toNormalizedString();
  return entries().some((e) => {
    switch (e.kind) {
      case "cidr":
        return forms.some((ip) => sameFamilyMatch(ip, e.range));
      case "address_port":
        return e.port === target.port && e.address === normalized;
      case "host_port":
        return e.port === target.port && e.host === host;
    }
  });
}
