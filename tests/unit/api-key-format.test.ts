import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { API_KEY_LENGTH, API_KEY_PREFIX, displayPrefix, generateApiKey, keyFormatProblem } from "@/lib/api-keys/key-format";
import { candidateHashes, GENERATED_PEPPER_FILE, hashNewApiKey, parsePepperRing, pepperRing, resetPepperRing } from "@/lib/api-keys/pepper";
import { presentedKey } from "@/lib/api-keys/request-key";
import { resetEnvCache } from "@/lib/env";

function flip(key: string, at: number): string {
  const c = key[at]!;
  return key.slice(0, at) + (c === "a" ? "b" : "a") + key.slice(at + 1);
}

describe("API key format", () => {
  it("is swb_ + 54 base62 characters (≥ 256 random bits) + a 6-character checksum", () => {
    const { key, prefix } = generateApiKey();
    expect(key).toMatch(/^swb_[0-9A-Za-z]{60}$/);
    expect(key).toHaveLength(API_KEY_LENGTH);
    expect(54 * Math.log2(62)).toBeGreaterThan(256 + 8 * Math.log2(62)); // still ≥ 256 bits after the shown prefix
    expect(prefix).toBe(key.slice(0, 12));
    expect(displayPrefix(key)).toBe(prefix);
    expect(keyFormatProblem(key)).toBeNull();
    const many = new Set(Array.from({ length: 500 }, () => generateApiKey().key));
    expect(many.size).toBe(500);
  });

  it("names what is wrong with a key that is not one of ours", () => {
    const { key } = generateApiKey();
    expect(keyFormatProblem(`ghp_${key.slice(4)}`)).toBe("wrong_prefix");
    expect(keyFormatProblem(key.slice(0, -1))).toBe("wrong_length");
    expect(keyFormatProblem(`${key}0`)).toBe("wrong_length");
    expect(keyFormatProblem(`${key.slice(0, 20)}-${key.slice(21)}`)).toBe("bad_characters");
    expect(keyFormatProblem("")).toBe("wrong_prefix");
    // A typo anywhere after the prefix is caught by the checksum (in the checksum too).
    let caught = 0;
    for (let i = API_KEY_PREFIX.length; i < key.length; i++) if (keyFormatProblem(flip(key, i)) === "bad_checksum") caught++;
    expect(caught).toBe(key.length - API_KEY_PREFIX.length);
  });
});

describe("where a request may carry its key", () => {
  const key = generateApiKey().key;
  const req = (url: string, headers: Record<string, string> = {}) => new Request(`http://x${url}`, { headers });

  it("takes Authorization: Bearer, x-api-key or the MCP path, and the same key twice", () => {
    expect(presentedKey(req("/a", { Authorization: `Bearer ${key}` }))).toEqual({ kind: "key", key });
    expect(presentedKey(req("/a", { authorization: `bearer   ${key} ` }))).toEqual({ kind: "key", key });
    expect(presentedKey(req("/a", { "x-api-key": key }))).toEqual({ kind: "key", key });
    expect(presentedKey(req("/a"), key)).toEqual({ kind: "key", key });
    expect(presentedKey(req("/a", { Authorization: `Bearer ${key}`, "x-api-key": key }))).toEqual({ kind: "key", key });
  });

  it("refuses a key in the query string, two different keys, and a missing key", () => {
    for (const q of [`?api_key=${key}`, `?key=x`, `?token=x`, `?access_token=x`, `?anything=${key}`, `?${key}`, `?x-api-key=1`]) {
      expect(presentedKey(req(`/a${q}`, { Authorization: `Bearer ${key}` })), q).toEqual({ kind: "in_query" });
    }
    expect(presentedKey(req("/a?provider=openai", { Authorization: `Bearer ${key}` }))).toEqual({ kind: "key", key });
    expect(presentedKey(req("/a", { Authorization: `Bearer ${key}`, "x-api-key": generateApiKey().key }))).toEqual({ kind: "conflict" });
    expect(presentedKey(req("/a", { Authorization: `Bearer ${key}` }), generateApiKey().key)).toEqual({ kind: "conflict" });
    expect(presentedKey(req("/a"))).toEqual({ kind: "missing" });
    // Another scheme is not a key: it is checked (and refused) as an empty one.
    expect(presentedKey(req("/a", { Authorization: `Basic ${key}` }))).toEqual({ kind: "key", key: "" });
  });
});

describe("API key pepper", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
    resetPepperRing();
  });
  const entry = (v: number, byte: number) => `${v}:${Buffer.alloc(32, byte).toString("base64")}`;
  const applyEnv = (vars: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
    resetPepperRing();
  };

  it("hashes with the newest version and recognises every listed one", () => {
    applyEnv({ SWITCHBOARD_API_KEY_PEPPER: entry(1, 1) });
    const key = generateApiKey().key;
    const v1 = hashNewApiKey(key);
    expect(v1).toMatch(/^[0-9a-f]{64}$/);
    expect(v1).not.toContain(key);
    applyEnv({ SWITCHBOARD_API_KEY_PEPPER: `${entry(1, 1)},${entry(2, 2)}` });
    expect(hashNewApiKey(key)).not.toBe(v1);
    expect(candidateHashes(key)).toEqual([hashNewApiKey(key), v1]);
  });

  it("rejects malformed peppers, generates one on the embedded default and requires one in production", () => {
    expect(() => parsePepperRing("1:short", "env")).toThrow(/not 32 bytes/);
    expect(() => parsePepperRing(`${entry(1, 1)},${entry(1, 2)}`, "env")).toThrow(/appears twice/);
    expect(() => parsePepperRing("nope", "env")).toThrow(/<version>:<base64/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-pepper-"));
    try {
      applyEnv({ SWITCHBOARD_API_KEY_PEPPER: undefined, SWITCHBOARD_DATA_DIR: dir, DATABASE_URL: undefined });
      expect(pepperRing().source).toBe("generated");
      const file = path.join(dir, GENERATED_PEPPER_FILE);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const first = hashNewApiKey("swb_x");
      resetPepperRing();
      expect(hashNewApiKey("swb_x")).toBe(first); // the same file on the next start
      applyEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/none" });
      expect(() => pepperRing()).toThrow(/SWITCHBOARD_API_KEY_PEPPER is required/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
