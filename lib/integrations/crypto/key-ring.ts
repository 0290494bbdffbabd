import "server-only";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { env, isStrictProduction } from "@/lib/env";

// Versioned keys: `SWITCHBOARD_ENCRYPTION_KEYS="1:<base64 32 bytes>,2:<base64>"`.
// The highest version encrypts; every listed version decrypts. On the embedded
// default with no key configured, one is generated into the data directory
// (and the admin UI warns about it); strict production refuses to start.

export type KeyRing = {
  current: { version: number; key: Buffer };
  byVersion: Map<number, Buffer>;
  source: "env" | "generated";
};

export const GENERATED_KEY_FILE = "encryption-keys";

export function parseKeyRing(spec: string, source: KeyRing["source"]): KeyRing {
  const byVersion = new Map<number, Buffer>();
  for (const entry of spec.split(/[,\n]/).map((s) => s.trim()).filter(Boolean)) {
    const match = /^(\d{1,9}):([A-Za-z0-9+/=_-]+)$/.exec(entry);
    if (!match) throw new Error("SWITCHBOARD_ENCRYPTION_KEYS: each entry must look like <version>:<base64 key>");
    const version = Number(match[1]);
    const key = Buffer.from(match[2]!, "base64");
    if (version < 1) throw new Error("SWITCHBOARD_ENCRYPTION_KEYS: versions start at 1");
    if (key.length !== 32) throw new Error(`SWITCHBOARD_ENCRYPTION_KEYS: key version ${version} is not 32 bytes`);
    if (byVersion.has(version)) throw new Error(`SWITCHBOARD_ENCRYPTION_KEYS: version ${version} appears twice`);
    byVersion.set(version, key);
  }
  if (byVersion.size === 0) throw new Error("SWITCHBOARD_ENCRYPTION_KEYS: no keys given");
  const version = Math.max(...byVersion.keys());
  return { current: { version, key: byVersion.get(version)! }, byVersion, source };
}

export function newKeyEntry(version: number): string {
  return `${version}:${randomBytes(32).toString("base64")}`;
}

/** Where the generated key lives, as configured (e.g. ".data/encryption-keys"): shown in the admin UI. */
export function generatedKeyLocation(): string {
  return path.join(env().SWITCHBOARD_DATA_DIR, GENERATED_KEY_FILE);
}

function generatedKeyPath(): string {
  return path.resolve(generatedKeyLocation());
}

function loadKeyRing(): KeyRing {
  const e = env();
  if (e.SWITCHBOARD_ENCRYPTION_KEYS) return parseKeyRing(e.SWITCHBOARD_ENCRYPTION_KEYS, "env");
  if (isStrictProduction(e)) {
    throw new Error(
      "SWITCHBOARD_ENCRYPTION_KEYS is required in production with DATABASE_URL. " +
        'Generate one with: node -e "console.log(\'1:\'+require(\'crypto\').randomBytes(32).toString(\'base64\'))"',
    );
  }
  const file = generatedKeyPath();
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, newKeyEntry(1) + "\n", { mode: 0o600, flag: "wx" });
  }
  return parseKeyRing(fs.readFileSync(file, "utf8"), "generated");
}

const state = globalThis as typeof globalThis & { __switchboardKeyRing?: KeyRing };

export function keyRing(): KeyRing {
  return (state.__switchboardKeyRing ??= loadKeyRing());
}

/** Embedded default only: appends a new newest key to the generated key file. */
export function addGeneratedKey(): KeyRing {
  const ring = keyRing();
  if (ring.source !== "generated") {
    throw new Error("Keys come from SWITCHBOARD_ENCRYPTION_KEYS; add the new key there and restart.");
  }
  fs.appendFileSync(generatedKeyPath(), newKeyEntry(ring.current.version + 1) + "\n");
  state.__switchboardKeyRing = undefined;
  return keyRing();
}

/** Tests swap keys between cases. */
export function resetKeyRing(): void {
  state.__switchboardKeyRing = undefined;
}
