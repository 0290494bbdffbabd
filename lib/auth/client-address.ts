import "server-only";
import { channel, subscribe, type Channel } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import ipaddr from "ipaddr.js";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

// Which address a sign-in comes from, for the per-address throttle.
//
// Next.js 16 gives route handlers no socket address (NextRequest.ip is gone),
// and next-auth 4 hands authorize() only the request's headers. Next does
// fill X-Forwarded-For with the socket address, but only when the client sent
// none, so that header alone is whatever the client wants it to be. So this
// process stamps every incoming request, before Next sees it, with the socket
// address in PEER_ADDRESS_HEADER (overwriting any value a client sent), through
// Node's "http.server.request.start" diagnostics channel. X-Forwarded-For is
// believed only hop by hop from that peer, while each hop is a proxy named in
// SWITCHBOARD_TRUSTED_PROXIES.

export const PEER_ADDRESS_HEADER = "x-switchboard-peer-address";
/** What a sign-in is counted under when no address is known (the stamp is missing: never in a started server). */
export const UNKNOWN_ADDRESS = "unknown";

type TRequestStart = { request: IncomingMessage; socket: Socket };
const state = globalThis as typeof globalThis & { __switchboardPeerStamp?: Channel; __switchboardPeerWarned?: boolean };
const REQUEST_START = "http.server.request.start";

function stamp(message: unknown): void {
  const { request, socket } = message as TRequestStart;
  const address = socket?.remoteAddress;
  if (address) request.headers[PEER_ADDRESS_HEADER] = address;
  else delete request.headers[PEER_ADDRESS_HEADER];
}

/**
 * Called once at server start (lib/auth/boot.ts), before requests are served.
 * Node marks its built-in channels experimental; the unit and e2e tests check
 * this one on every run (a missing stamp shows as the "unknown" warning).
 */
export function stampPeerAddresses(): void {
  if (state.__switchboardPeerStamp) return;
  state.__switchboardPeerStamp = channel(REQUEST_START); // held, so the subscription lives as long as the process
  subscribe(REQUEST_START, stamp);
}

type TAddress = ipaddr.IPv4 | ipaddr.IPv6;
type TRange = [TAddress, number];

function parseAddress(value: string | undefined): TAddress | null {
  const text = value?.trim().replace(/^\[(.*)\]$/, "$1") ?? "";
  if (!ipaddr.isValid(text)) return null;
  return ipaddr.process(text); // IPv4-mapped IPv6 (::ffff:10.0.0.1) becomes IPv4
}

let trustedCache: { source: string[]; ranges: TRange[] } | undefined;
function trustedRanges(): TRange[] {
  const source = env().SWITCHBOARD_TRUSTED_PROXIES;
  if (trustedCache?.source !== source) {
    const ranges = source.map((entry): TRange => {
      if (entry.includes("/")) return ipaddr.parseCIDR(entry);
      const address = ipaddr.process(entry);
      return [address, address.kind() === "ipv4" ? 32 : 128];
    });
    trustedCache = { source, ranges };
  }
  return trustedCache.ranges;
}

function isTrusted(address: TAddress): boolean {
  return trustedRanges().some(([range, bits]) => address.kind() === range.kind() && address.match(range, bits));
}

/** One key per client: an IPv4 address, or the /64 an IPv6 client holds (it can pick any address inside it). */
function keyOf(address: TAddress): string {
  if (address.kind() === "ipv4") return address.toString();
  const bytes = (address as ipaddr.IPv6).toByteArray().slice(0, 8).concat([0, 0, 0, 0, 0, 0, 0, 0]);
  return `${ipaddr.fromByteArray(bytes).toString()}/64`;
}

type THeaders = Headers | Record<string, string | string[] | undefined>;
function header(headers: THeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** The client's address (or IPv6 /64) as this server can vouch for it. */
export function clientAddress(headers: THeaders): string {
  let current = parseAddress(header(headers, PEER_ADDRESS_HEADER));
  if (!current) {
    if (!state.__switchboardPeerWarned) {
      state.__switchboardPeerWarned = true;
      logger.warn("sign-in: the socket address of a request is unknown; counting such sign-ins under one key");
    }
    return UNKNOWN_ADDRESS;
  }
  // Right to left: each trusted hop vouches for the address before it.
  const forwarded = (header(headers, "x-forwarded-for") ?? "").split(",").reverse();
  for (const entry of forwarded) {
    if (!isTrusted(current)) break;
    const claimed = parseAddress(entry);
    if (!claimed) break;
    current = claimed;
  }
  return keyOf(current);
}
