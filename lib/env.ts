import ipaddr from "ipaddr.js";
import { z } from "zod";

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

const ZEnv = z.object({
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
  SWITCHBOARD_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Proxies whose X-Forwarded-For is believed: IP addresses or CIDR ranges, comma-separated. */
  SWITCHBOARD_TRUSTED_PROXIES: ZCommaList.pipe(
    z.array(z.string().refine((v) => ipaddr.isValid(v) || ipaddr.isValidCIDR(v), "entries are IP addresses or CIDR ranges, e.g. 10.0.0.2 or 10.0.0.0/8")),
  ),
  /** Minutes without activity after which a session ends (besides its absolute lifetime). */
  SWITCHBOARD_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(120),
});

export type TEnv = z.output<typeof ZEnv>;

let cached: TEnv | undefined;

export function env(): TEnv {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration in the environment:\n${lines.join("\n")}`);
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
