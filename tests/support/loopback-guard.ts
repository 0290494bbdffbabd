import net from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll } from "vitest";

// A safety net for outbound tests: this machine may send traffic only to
// loopback. Should the policy under test ever let a non-loopback address
// through, the socket is refused here (the test then fails on a wrong error)
// instead of a packet leaving the machine.

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|localhost)$/i;

type TLookupFn = (hostname: unknown, opts: unknown, cb: (err: Error | null, ...rest: unknown[]) => void) => void;
type TConnectOptions = { host?: string; lookup?: TLookupFn } & Record<string, unknown>;

function guardOptions(options: TConnectOptions): TConnectOptions {
  const host = String(options.host ?? "localhost").replace(/^\[|\]$/g, "");
  if (net.isIP(host) && !LOOPBACK.test(host)) throw new Error(`loopback guard: refused a connection to ${host}`);
  const lookup = options.lookup;
  if (!lookup) return net.isIP(host) || LOOPBACK.test(host) ? options : { ...options, lookup: guardedLookup(dnsLookup) };
  return { ...options, lookup: guardedLookup(lookup) };
}

/** Names without an injected lookup: never resolved by the system in guarded tests. */
const dnsLookup: TLookupFn = (_hostname, _opts, cb) => {
  cb(new Error("loopback guard: system DNS is not used in outbound tests"));
};

function guardedLookup(lookup: TLookupFn): TLookupFn {
  return (hostname, opts, cb) => {
    lookup(hostname, opts, (err, address, family) => {
      if (err) return cb(err);
      const list = Array.isArray(address) ? (address as { address: string }[]).map((a) => a.address) : [String(address)];
      const bad = list.find((a) => !LOOPBACK.test(a));
      if (bad) return cb(new Error(`loopback guard: refused a connection to ${bad}`));
      cb(null, address, family);
    });
  };
}

/** Installs the guard on net.connect / net.createConnection / tls.connect for this test file. */
export function installLoopbackGuard(): void {
  const originals = { connect: net.connect, createConnection: net.createConnection, tlsConnect: tls.connect };
  beforeAll(() => {
    const wrap = <F extends (...args: never[]) => unknown>(original: F) =>
      ((...args: unknown[]) => {
        if (typeof args[0] === "object" && args[0] !== null) args[0] = guardOptions(args[0] as TConnectOptions);
        else if (typeof args[0] === "number" && typeof args[1] === "string" && net.isIP(args[1]) && !LOOPBACK.test(args[1])) {
          throw new Error(`loopback guard: refused a connection to ${args[1]}`);
        }
        return (original as unknown as (...a: unknown[]) => unknown)(...args);
      }) as unknown as F;
    net.connect = wrap(originals.connect);
    net.createConnection = wrap(originals.createConnection);
    tls.connect = wrap(originals.tlsConnect);
  });
  afterAll(() => {
    net.connect = originals.connect;
    net.createConnection = originals.createConnection;
    tls.connect = originals.tlsConnect;
  });
}
