import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { authSecret } from "@/lib/auth/secret";
import { resetEnvCache } from "@/lib/env";
import { decryptSecret, encryptSecret } from "@/lib/integrations/crypto/cipher";
import { addGeneratedKey, GENERATED_KEY_FILE, keyRing, resetKeyRing } from "@/lib/integrations/crypto/key-ring";

// Where the encryption key and the session secret come from at start-up:
// generated into the data directory on the embedded default, required from
// the environment in production with DATABASE_URL.

const saved = { ...process.env };
const authState = globalThis as { __switchboardAuthSecret?: string };
let dataDir: string;

function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  resetKeyRing();
  authState.__switchboardAuthSecret = undefined;
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-secrets-"));
  setEnv({ SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_ENCRYPTION_KEYS: undefined, NEXTAUTH_SECRET: undefined, DATABASE_URL: undefined });
});
afterEach(() => {
  process.env = { ...saved };
  setEnv({});
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const strictProduction = { NODE_ENV: "production", DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/none" };

describe("start-up secrets", () => {
  it("refuses an encryption key-less start in production with DATABASE_URL, and writes nothing", () => {
    setEnv(strictProduction);
    expect(() => keyRing()).toThrow(/SWITCHBOARD_ENCRYPTION_KEYS is required in production/);
    expect(() => authSecret()).toThrow(/NEXTAUTH_SECRET is required in production/);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it("uses the configured key in production", () => {
    setEnv({ ...strictProduction, SWITCHBOARD_ENCRYPTION_KEYS: `3:${Buffer.alloc(32, 7).toString("base64")}` });
    expect(keyRing().source).toBe("env");
    expect(keyRing().current.version).toBe(3);
  });

  it("generates a private key file on the embedded default and reuses it on the next start", () => {
    const first = keyRing();
    expect(first.source).toBe("generated");
    const file = path.join(dataDir, GENERATED_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    resetKeyRing(); // a restart
    expect(keyRing().current.key.equals(first.current.key)).toBe(true);

    const secret = authSecret();
    authState.__switchboardAuthSecret = undefined;
    expect(authSecret()).toBe(secret);
  });

  it("adds a newer generated key; secrets sealed with the older one still open", () => {
    const binding = { uuid: "0190b5a4-0000-7000-8000-000000000001", orgId: "0190b5a4-0000-7000-8000-0000000000aa" };
    const sealed = encryptSecret(keyRing(), binding, "canary-old-key");
    const ring = addGeneratedKey();
    expect(ring.current.version).toBe(2);
    resetKeyRing();
    expect(keyRing().current.version).toBe(2);
    expect(decryptSecret(keyRing(), binding, sealed)).toBe("canary-old-key");
  });

  it("refuses to add a generated key when keys come from the environment", () => {
    setEnv({ SWITCHBOARD_ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 1).toString("base64")}` });
    expect(() => addGeneratedKey()).toThrow(/SWITCHBOARD_ENCRYPTION_KEYS/);
  });
});
