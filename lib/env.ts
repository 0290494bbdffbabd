import ipaddr from "ipaddr.js";
import { z } from "zod";
import { describeEnvError, launchEnvShape } from "@/lib/launch-env.mjs";
import { parseAllowEntry } from "@/lib/integrations/outbound/allow-entry";

// The only reader of process.env. Parsed once, lazily (so `next build` does
// not need runtime configuration), and a bad value fails with a message that
// names the variable and what is expected.

const ZCommaList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SWITCHBOARD_DATA_DIR: z.string().min(1).default(".data"),
  SWITCHBOARD_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  NEXTAUTH_SECRET: z
    .string()
    .min(32, "must be at least 32 characters")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** The app's public URL (next-auth's redirects, the OAuth redirect URI). */
  NEXTAUTH_URL: z
    .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SWITCHBOARD_MAX_CONNECTIONS_PER_PROVIDER: z.coerce.number().int().min(1).max(10_000).default(50),
  SWITCHBOARD_DISABLED_PROVIDERS: ZCommaList,
  /** `provider=http://host:port,…`: rewrites a provider's URL origins (tests, proxies). */
  SWITCHBOARD_PROVIDER_BASE_URLS: ZCommaList.pipe(
    z.array(z.string().regex(/^[a-z0-9_-]+=https?:\/\/[^,\s]+$/i, "entries look like provider=http://host:port")),
  ),
  /** OAuth access tokens are refreshed when they expire within this many seconds. */
  SWITCHBOARD_TOKEN_REFRESH_SKEW_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Targets the outbound policy refuses but this deployment opens: CIDRs, addresses, address:port, host:port. */
  SWITCHBOARD_OUTBOUND_ALLOW: ZCommaList.pipe(
    z.array(z.string().refine((e) => parseAllowEntry(e) !== null, "entries look like 10.0.0.0/8, 192.168.1.20, 127.0.0.1:2525, [::1]:2525 or smtp.internal:587")),
  ),
  /** A PEM file of extra certificate authorities trusted by outbound TLS (an internal CA). */
  SWITCHBOARD_OUTBOUND_CA_FILE: z
    .string()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Connection tests (Test Connection, the test after Save) per operator per minute; an organization gets 5×. */
  SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  SWITCHBOARD_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** PORT and SWITCHBOARD_HOST: defined once in lib/launch-env.mjs, which the custom server validates with before Next.js loads. */
  ...launchEnvShape,
  /** Versioned HMAC pepper for API keys, `1:<base64 32 bytes>,…` (generated on the embedded default). */
  SWITCHBOARD_API_KEY_PEPPER: z
    .string()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Calls per API key per minute, every surface together (REST, Power Automate, MCP). */
  SWITCHBOARD_API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(300),
  /** Consumer API (/api/v1) calls per consumer key per minute, counted across instances. */
  SWITCHBOARD_CONSUMER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(60_000),
  /** The consumer proxy: total time for the upstream call, its answer's size cap, and the cap on the request the consumer sends. */
  SWITCHBOARD_PROXY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  SWITCHBOARD_PROXY_MAX_CONCURRENT: z.coerce.number().int().min(1).max(10_000).default(64),
  SWITCHBOARD_EVENTS_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
  SWITCHBOARD_PROXY_MAX_RESPONSE_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  SWITCHBOARD_PROXY_MAX_REQUEST_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  /** Refused API keys (unknown, malformed, revoked, expired) per client address per minute before that address is refused outright. */
  SWITCHBOARD_API_REFUSED_KEYS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Proxies whose X-Forwarded-For is believed: IP addresses or CIDR ranges, comma-separated. */
  SWITCHBOARD_TRUSTED_PROXIES: ZCommaList.pipe(
    z.array(z.string().refine((v) => ipaddr.isValid(v) || ipaddr.isValidCIDR(v), "entries are IP addresses or CIDR ranges, e.g. 10.0.0.2 or 10.0.0.0/8")),
  ),
  /** How often an open live-status stream re-checks the session that opened it (a revoked session stops receiving within this). */
  SWITCHBOARD_LIVE_SESSION_RECHECK_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  /** Minutes without activity after which a session ends (besides its absolute lifetime). */
  SWITCHBOARD_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(120),
});

export type TEnv = z.output<typeof ZEnv>;

let cached: TEnv | undefined;

export function env(): TEnv {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(describeEnvError(parsed.error));
  }
  cached = parsed.data;
  return cached;
}

/** Tests change the environment between cases; production never calls this. */
export function resetEnvCache(): void {
  cached = undefined;
}

/** Production with a real database must be configured explicitly. */
export function isStrictProduction(e: TEnv = env()): boolean {
  return e.NODE_ENV === "production" && e.DATABASE_URL !== undefined;
}

export function providerBaseUrlOverrides(e: TEnv = env()): Record<string, string> {
  return Object.fromEntries(
    e.SWITCHBOARD_PROVIDER_BASE_URLS.map((entry) => {
      const at = entry.indexOf("=");
      return [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

/** Whether the public URL (NEXTAUTH_URL) is https: HSTS and __Host- cookies follow from it. */
export function publicUrlIsHttps(e: TEnv = env()): boolean {
  return e.NEXTAUTH_URL?.startsWith("https://") ?? false;
}
