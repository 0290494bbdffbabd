import "server-only";
import { readFileSync } from "node:fs";
import tls from "node:tls";
import { env } from "@/lib/env";

// Certificate authorities outbound TLS trusts: Node's bundled roots plus the
// PEM file in SWITCHBOARD_OUTBOUND_CA_FILE (an internal CA of a self-hosted
// service; the test suite's stand-in CA). Undefined = Node's defaults.

let cached: { file: string; cas: string[] } | undefined;

export function outboundCas(): string[] | undefined {
  const file = env().SWITCHBOARD_OUTBOUND_CA_FILE;
  if (!file) return undefined;
  if (cached?.file !== file) cached = { file, cas: [...tls.rootCertificates, readFileSync(file, "utf8")] };
  return cached.cas;
}
