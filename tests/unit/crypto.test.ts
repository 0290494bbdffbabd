import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, openSecrets, sealSecrets } from "@/lib/integrations/crypto/cipher";
import { parseKeyRing } from "@/lib/integrations/crypto/key-ring";

const key = () => randomBytes(32).toString("base64");
const k1 = key();
const k2 = key();
const ringV1 = parseKeyRing(`1:${k1}`, "env");
const ringV2 = parseKeyRing(`1:${k1},2:${k2}`, "env");
const row = { uuid: "0190b5a4-0000-7000-8000-000000000001", orgId: "0190b5a4-0000-7000-8000-0000000000aa" };

describe("AES-256-GCM secrets", () => {
  it("round-trips", () => {
    const sealed = encryptSecret(ringV1, row, "sk-live-123");
    expect(decryptSecret(ringV1, row, sealed)).toBe("sk-live-123");
    expect(openSecrets(ringV1, row, sealSecrets(ringV1, row, { api_key: "x", password: "y" }))).toEqual({ api_key: "x", password: "y" });
  });

  it("does not contain the plaintext", () => {
    const sealed = encryptSecret(ringV1, row, "canary-plaintext-value");
    expect(Buffer.from(sealed.blob).includes(Buffer.from("canary-plaintext-value"))).toBe(false);
  });

  it("uses a fresh nonce: two encryptions of one plaintext differ", () => {
    const a = encryptSecret(ringV1, row, "same");
    const b = encryptSecret(ringV1, row, "same");
    expect(Buffer.from(a.blob).equals(Buffer.from(b.blob))).toBe(false);
    expect(Buffer.from(a.blob).subarray(1, 13).equals(Buffer.from(b.blob).subarray(1, 13))).toBe(false);
  });

  it("rejects a ciphertext with one flipped bit, anywhere", () => {
    const sealed = encryptSecret(ringV1, row, "sk-live-123");
    for (const index of [1, 13, sealed.blob.length - 1]) {
      const tampered = new Uint8Array(sealed.blob);
      tampered[index]! ^= 0x01;
      expect(() => decryptSecret(ringV1, row, { ...sealed, blob: tampered })).toThrow(/could not be decrypted/);
    }
  });

  it("rejects a ciphertext moved to another row or another organization", () => {
    const sealed = encryptSecret(ringV1, row, "sk-live-123");
    expect(() => decryptSecret(ringV1, { ...row, uuid: "0190b5a4-0000-7000-8000-000000000002" }, sealed)).toThrow();
    expect(() => decryptSecret(ringV1, { ...row, orgId: "0190b5a4-0000-7000-8000-0000000000bb" }, sealed)).toThrow();
  });

  it("binds the key version: a relabelled version fails", () => {
    const sealed = encryptSecret(ringV2, row, "sk");
    expect(sealed.keyVersion).toBe(2);
    expect(() => decryptSecret(ringV2, row, { ...sealed, keyVersion: 1 })).toThrow();
  });

  it("decrypts with an old key version after rotation; the newest key encrypts", () => {
    const old = encryptSecret(ringV1, row, "before-rotation");
    expect(old.keyVersion).toBe(1);
    expect(decryptSecret(ringV2, row, old)).toBe("before-rotation");
    expect(encryptSecret(ringV2, row, "after").keyVersion).toBe(2);
  });

  it("fails clearly when the key version is not in the ring", () => {
    const sealed = encryptSecret(ringV2, row, "x");
    expect(() => decryptSecret(ringV1, row, sealed)).toThrow(/key version 2 is not in the key ring/);
  });
});

describe("key ring parsing", () => {
  it("rejects malformed entries, short keys and duplicates", () => {
    expect(() => parseKeyRing("nonsense", "env")).toThrow(/<version>:<base64 key>/);
    expect(() => parseKeyRing(`1:${randomBytes(16).toString("base64")}`, "env")).toThrow(/not 32 bytes/);
    expect(() => parseKeyRing(`1:${k1},1:${k2}`, "env")).toThrow(/appears twice/);
    expect(() => parseKeyRing("", "env")).toThrow(/no keys/);
  });

  it("never puts key material in an error message", () => {
    const short = randomBytes(16).toString("base64");
    expect(() => parseKeyRing(`1:${short}`, "env")).toThrow(expect.not.objectContaining({ message: expect.stringContaining(short) }));
  });

  it("picks the highest version as current regardless of order", () => {
    expect(parseKeyRing(`3:${k1},1:${k2}`, "env").current.version).toBe(3);
  });
});
