import "server-only";
import fs from "node:fs";
import path from "node:path";
import { createHmac, randomBytes } from "node:crypto";
import { env, isStrictProduction } from "@/lib/env";

// API keys are stored as HMAC-SHA256 under a server pepper, so a copy of the
// database alone cannot be used to check guesses. The pepper is a versioned
// ring like the encryption keys: `SWITCHBOARD_API_KEY_PEPPER="1:<base64 32
// bytes>,2:…"`; the highest version hashes new keys and every version is
// tried on lookup (so adding a version keeps existing keys working). On the
// embedded default it is generated into the data directory; strict
// production (NODE_ENV=production with DATABASE_URL) requires it.

export type TPepperRing = { current: number; byVersion: Map<number, Buffer>; source: "env" | "generated" };

export const GENERATED_PEPPER_FILE = "api-key-pepper";

export function parsePepperRing(spec: string, source: TPepperRing["source"]): TPepperRing {
  const byVersion = new Map<number, Buffer>();
  for (const entry of spec.split(/[,\n]/).map((s) => s.trim()).filter(Boolean)) {
    const match = /^(\d{1,9}):([A-Za-z0-9+/=_-]+)$/.exec(entry);
    if (!match) throw new Error("SWITCHBOARD_API_KEY_PEPPER: each entry must look like <version>:<base64 32 bytes>");
    const version = Number(match[1]);
    const key = Buffer.from(match[2]!, "base64");
    if (version < 1) throw new Error("SWITCHBOARD_API_KEY_PEPPER: versions start at 1");
    if (key.length !== 32) throw new Error(`SWITCHBOARD_API_KEY_PEPPER: version ${version} is not 32 bytes`);
    if (byVersion.has(version)) throw new Error(`SWITCHBOARD_API_KEY_PEPPER: version ${version} appears twice`);
    byVersion.set(version, key);
  }
  if (byVersion.size === 0) throw new Error("SWITCHBOARD_API_KEY_PEPPER: no pepper given");
  return { current: Math.max(...byVersion.keys()), byVersion, source };
}

function loadPepperRing(): TPepperRing {
  const e = env();
  if (e.SWITCHBOARD_API_KEY_PEPPER) return parsePepperRing(e.SWITCHBOARD_API_KEY_PEPPER, "env");
  if (isStrictProduction(e)) {
    throw new Error(
      "SWITCHBOARD_API_KEY_PEPPER is required in production with DATABASE_URL. " +
        'Generate one with: node -e "console.log(\'1:\'+require(\'crypto\').randomBytes(32).toString(\'base64\'))"',
    );
  }
  const file = path.resolve(e.SWITCHBOARD_DATA_DIR, GENERATED_PEPPER_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `1:${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  }
  return parsePepperRing(fs.readFileSync(file, "utf8"), "generated");
}

const state = globalThis as typeof globalThis & { __switchboardPepper?: TPepperRing };

export function pepperRing(): TPepperRing {
  return (state.__switchboardPepper ??= loadPepperRing());
}

/** Tests change the environment between cases. */
export function resetPepperRing(): void {
  state.__switchboardPepper = undefined;
}

function hmac(pepper: Buffer, key: string): string {
  return createHmac("sha256", pepper).update(key, "utf8").digest("hex");
}

/** The stored form of a new key (newest pepper). */
export function hashNewApiKey(key: string): string {
  const ring = pepperRing();
  return hmac(ring.byVersion.get(ring.current)!, key);
}

/** Every form a presented key may be stored under, newest pepper first. */
export function candidateHashes(key: string): string[] {
  const ring = pepperRing();
  return [...ring.byVersion.keys()].sort((a, b) => b - a).map((v) => hmac(ring.byVersion.get(v)!, key));
}
