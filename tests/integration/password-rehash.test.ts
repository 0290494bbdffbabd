import { randomBytes, scryptSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignIn } from "@/lib/accounts/service/sign-in";
import { db } from "@/lib/db";
import type { TServiceContext } from "@/lib/integrations/service";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// Hashes made with older parameters are replaced at the next successful sign-in.

const PASSWORD = "correct horse battery staple";
let testDb: TestDatabase;
let admin: TServiceContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  admin = await createFirstOrg();
});
afterAll(() => testDb.teardown());

function legacyHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", 2 ** 15, 8, 1, salt.toString("base64"), key.toString("base64")].join("$");
}

async function storedHash(): Promise<string> {
  const prisma = await db();
  return (await prisma.user.findUniqueOrThrow({ where: { id: admin.actor.type === "user" ? admin.actor.id : "" } })).passwordHash;
}

async function setStoredHash(passwordHash: string): Promise<void> {
  const prisma = await db();
  await prisma.user.update({ where: { email: admin.actor.label }, data: { passwordHash } });
}

describe("transparent re-hashing", () => {
  it("new accounts get N=2^17 hashes", async () => {
    expect(await storedHash()).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
  });

  it("a wrong password leaves an old hash alone; the right one replaces it, and the new hash verifies", async () => {
    const old = legacyHash(PASSWORD);
    await setStoredHash(old);
    expect(await verifySignIn(admin.actor.label, "wrong password!")).toBeNull();
    expect(await storedHash()).toBe(old);

    expect(await verifySignIn(admin.actor.label, PASSWORD)).toMatchObject({ orgId: admin.orgId });
    const upgraded = await storedHash();
    expect(upgraded).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
    expect(await verifySignIn(admin.actor.label, PASSWORD)).toMatchObject({ orgId: admin.orgId });
    expect(await storedHash()).toBe(upgraded); // current hashes are not rewritten on every sign-in
  });
});
