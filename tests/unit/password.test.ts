import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HASH_CONCURRENCY, hashesRunning, withHashSlot } from "@/lib/auth/hash-slots";
import { hashPassword, needsRehash, SCRYPT_PARAMS, verifyPassword } from "@/lib/auth/password";

/** A hash in the format (and with the parameters) the app used before: scrypt$N$r$p$salt$key, N=2^15. */
function legacyHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize("NFKC"), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", 2 ** 15, 8, 1, salt.toString("base64"), key.toString("base64")].join("$");
}

describe("password hashing", () => {
  it("writes self-describing scrypt hashes with N=2^17, r=8, p=1 and a fresh salt", async () => {
    expect(SCRYPT_PARAMS).toEqual({ ln: 17, r: 8, p: 1 });
    const [a, b] = await Promise.all([hashPassword("correct horse battery"), hashPassword("correct horse battery")]);
    expect(a).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(needsRehash(a)).toBe(false);
  });

  it("verifies the right password only, NFKC-normalised", async () => {
    const stored = await hashPassword("ﬁve ﬁsh swim here");
    expect(await verifyPassword("ﬁve ﬁsh swim here", stored)).toBe(true);
    expect(await verifyPassword("five fish swim here", stored)).toBe(true); // the ligature is NFKC-equal
    expect(await verifyPassword("five fish swim there", stored)).toBe(false);
  });

  it("still verifies a hash in the older format, and asks for it to be replaced", async () => {
    const old = legacyHash("an older password");
    expect(await verifyPassword("an older password", old)).toBe(true);
    expect(await verifyPassword("not the password", old)).toBe(false);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash("$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + "A".repeat(43))).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["unknown scheme", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"],
    ["N far too large (a tampered row)", "$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + "A".repeat(43)],
    ["r·p too large", "$scrypt$ln=14,r=32,p=16$c2FsdHNhbHRzYWx0c2FsdA$" + "A".repeat(43)],
    ["legacy N not a power of two", "scrypt$30000$8$1$c2FsdHNhbHRzYWx0c2FsdA==$" + "A".repeat(43) + "="],
    ["not base64", "$scrypt$ln=17,r=8,p=1$no*salt$" + "A".repeat(43)],
    ["short key", "$scrypt$ln=17,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAA"],
  ])("refuses an unreadable hash (%s) without hashing", async (_label, stored) => {
    expect(await verifyPassword("anything at all", stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it(`runs at most ${HASH_CONCURRENCY} hashes at once in this process`, async () => {
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, hashesRunning())), 5);
    const inSlot: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        withHashSlot(async () => {
          inSlot.push(hashesRunning());
          await new Promise((r) => setTimeout(r, 30));
        }),
      ),
    );
    clearInterval(watch);
    expect(Math.max(...inSlot, peak)).toBe(HASH_CONCURRENCY);
    expect(hashesRunning()).toBe(0);
  });
});
