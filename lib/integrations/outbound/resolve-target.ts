import "server-only";
import { lookup } from "node:dns/promises";
import net from "node:net";
import { isAlwaysDenied, isAlwaysDeniedName, isPublicAddress } from "./address-policy";
import { isAllowListed } from "./allow-list";
import { OutboundError, refused } from "./errors";

// Resolve once, check every answer, hand back the addresses to connect to.
// Callers connect to these addresses (never to the name again), so a DNS
// answer cannot change between the check and the connection.

export type TResolvedAddress = { address: string; family: 4 | 6 };
/** Answers a host name with every address it has (like getaddrinfo with all: true). */
export type TResolver = (hostname: string) => Promise<TResolvedAddress[]>;

export type TCheckedTarget = {
  /** The host as the operator typed it, canonical (lowercase, no trailing dot, IPv6 without brackets): TLS verifies this name. */
  host: string;
  port: number;
  /** Checked addresses, first one preferred. */
  addresses: TResolvedAddress[];
};

const systemResolver: TResolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

const DNS_TIMEOUT_MS = 5_000;

const state = globalThis as typeof globalThis & { __switchboardResolver?: TResolver };

/** Tests script DNS answers with this (null restores the system resolver). */
export function setOutboundResolver(resolver: TResolver | null): void {
  state.__switchboardResolver = resolver ?? undefined;
}

/**
 * The WHATWG host parser's reading of `host`: "2130706433", "0x7f.1" and
 * "127.1" become "127.0.0.1", IPv6 loses its brackets, names are lowercased
 * and lose a trailing dot. Null when it is not a valid host at all.
 */
export function canonicalHost(host: string): string | null {
  const raw = host.trim();
  if (raw === "" || /[\s/\\?#@]/.test(raw)) return null;
  const bracketed = net.isIPv6(raw) ? `[${raw}]` : raw;
  try {
    const parsed = new URL(`http://${bracketed}/`).hostname;
    return parsed.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  } catch {
    return null;
  }
}

function checkAddress(host: string, address: string, port: number): void {
  // Metadata services first: no allow-list entry opens them.
  if (isAlwaysDenied(address)) throw refused();
  if (!isPublicAddress(address) && !isAllowListed({ host, address, port })) throw refused();
}

/**
 * Resolves `host` once and checks every address it resolves to. Throws
 * OutboundError: `target_refused` (one generic message) when any answer is
 * loopback, private, link-local, metadata… and not allow-listed;
 * `dns_failed` when the name does not resolve.
 */
export async function resolveOutboundTarget(host: string, port: number): Promise<TCheckedTarget> {
  const name = canonicalHost(host);
  if (name === null || !Number.isInteger(port) || port < 1 || port > 65_535) throw refused();
  if (isAlwaysDeniedName(name)) throw refused();
  if (net.isIP(name)) {
    checkAddress(name, name, port);
    return { host: name, port, addresses: [{ address: name, family: net.isIPv6(name) ? 6 : 4 }] };
  }
  // "localhost" and its subdomains are loopback by definition (RFC 6761), whatever DNS says.
  if ((name === "localhost" || name.endsWith(".localhost")) && !isAllowListed({ host: name, address: "127.0.0.1", port })) throw refused();
  let answers: TResolvedAddress[];
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("DNS timeout")), DNS_TIMEOUT_MS);
    });
    answers = await Promise.race([(state.__switchboardResolver ?? systemResolver)(name), timeout]);
  } catch (err) {
    throw new OutboundError("dns_failed", `The host name ${name} could not be resolved.`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  if (answers.length === 0) throw new OutboundError("dns_failed", `The host name ${name} could not be resolved.`);
  // Every answer must pass: a client may try any of them.
  for (const a of answers) checkAddress(name, a.address, port);
  return { host: name, port, addresses: answers };
}
