import "server-only";
import ipaddr from "ipaddr.js";

// Which resolved addresses an outbound call may connect to: public unicast
// only. Addresses that embed an IPv4 address (IPv4-mapped, 6to4, NAT64,
// Teredo) are unwrapped and the embedded address is judged too, because a
// gateway on the path would deliver them to that IPv4 address.

type TAddr = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Cloud metadata and platform services: refused always, even when
 * SWITCHBOARD_OUTBOUND_ALLOW opens their range (an operator opening
 * 169.254.0.0/16 or 0.0.0.0/0 for a LAN service must not open the instance's
 * credentials). AWS/GCP/Azure IMDS, AWS ECS task metadata, AWS IMDS over
 * IPv6, Alibaba Cloud, Azure's wireserver (a public address!).
 */
const ALWAYS_DENIED = ["169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "168.63.129.16"].map((a) => ipaddr.parse(a).toNormalizedString());
const METADATA = ALWAYS_DENIED;

/** Host names of metadata services, refused before any lookup (GCP's, whatever the resolver answers). */
const ALWAYS_DENIED_NAMES = new Set(["metadata.google.internal", "metadata.goog", "metadata"]);

/** True for a metadata host name (canonical: lowercase, no trailing dot). */
export function isAlwaysDeniedName(host: string): boolean {
  return ALWAYS_DENIED_NAMES.has(host.toLowerCase().replace(/\.$/, ""));
}

/** True when `address` or an IPv4 address embedded in it (mapped, 6to4, NAT64, Teredo) is a metadata service. */
export function isAlwaysDenied(address: string): boolean {
  return addressForms(address).some((ip) => ALWAYS_DENIED.includes(ip.toNormalizedString()));
}

function v4FromWords(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

/** The IPv4 addresses an IPv6 address carries inside it (empty when none). */
export function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4[] {
  const p = v6.parts;
  if (v6.isIPv4MappedAddress()) return [v6.toIPv4Address()];
  switch (v6.range()) {
    case "6to4": // 2002:AABB:CCDD::/48
      return [v4FromWords(p[1]!, p[2]!)];
    case "rfc6052": // 64:ff9b::/96 NAT64
    case "rfc6145": // ::ffff:0:a.b.c.d translated
      return [v4FromWords(p[6]!, p[7]!)];
    case "teredo": // 2001:0:SERVER:flags:port:CLIENT (client bits inverted)
      return [v4FromWords(p[2]!, p[3]!), v4FromWords(~p[6]! & 0xffff, ~p[7]! & 0xffff)];
    default:
      // 64:ff9b:1::/48, local-use NAT64 (RFC 8215), with the IPv4 address in the last 32 bits as in /96.
      if (p[0] === 0x64 && p[1] === 0xff9b && p[2] === 1) return [v4FromWords(p[6]!, p[7]!)];
      // ::a.b.c.d, the deprecated IPv4-compatible form.
      if (p.slice(0, 6).every((w) => w === 0)) return [v4FromWords(p[6]!, p[7]!)];
      return [];
  }
}

function isPublicV4(v4: ipaddr.IPv4): boolean {
  return v4.range() === "unicast" && !METADATA.includes(v4.toNormalizedString());
}

/**
 * True when `address` (an IP literal) is a public unicast address: not
 * loopback, private, link-local, unique-local, CGNAT, multicast,
 * unspecified, broadcast, reserved, documentation, a metadata service, and
 * not an IPv6 form of any of those. Anything unparsable is not public.
 */
export function isPublicAddress(address: string): boolean {
  let ip: TAddr;
  try {
    ip = ipaddr.parse(address.replace(/^\[|\]$/g, ""));
  } catch {
    return false;
  }
  if (ip.kind() === "ipv4") return isPublicV4(ip as ipaddr.IPv4);
  const v6 = ip as ipaddr.IPv6;
  if (METADATA.includes(v6.toNormalizedString())) return false;
  const embedded = embeddedIPv4(v6);
  if (embedded.length > 0) return embedded.every(isPublicV4);
  // Global unicast is 2000::/3; ipaddr.js names the special ranges inside it.
  return v6.range() === "unicast" && (v6.parts[0]! & 0xe000) === 0x2000;
}

/** The address and every IPv4 address embedded in it (for allow-list CIDR matching). */
export function addressForms(address: string): TAddr[] {
  try {
    const ip = ipaddr.parse(address.replace(/^\[|\]$/g, ""));
    return ip.kind() === "ipv6" ? [ip, ...embeddedIPv4(ip as ipaddr.IPv6)] : [ip];
  } catch {
    return [];
  }
}
