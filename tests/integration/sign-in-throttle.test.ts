import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignIn, type TSignedIn } from "@/lib/accounts/service/sign-in";
import { authorizeSignIn, type TSignInOutcome } from "@/lib/auth/authorize-sign-in";
import { HashQueueFullError } from "@/lib/auth/hash-slots";
import { SIGN_IN_LIMITS } from "@/lib/auth/sign-in-throttle";
import { closeDb, db } from "@/lib/db";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// The sign-in throttle against the real database: counted before the
// password is checked, per email + client address with a looser per-email
// ceiling, shared by every process on the database.

const ROOT = path.resolve(import.meta.dirname, "../..");
const RIGHT = "correct horse battery staple";
const PER_PAIR = SIGN_IN_LIMITS.perEmailAndAddress.points;
const PER_EMAIL = SIGN_IN_LIMITS.perEmail.points;

let testDb: TestDatabase;
let adminEmail: string;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  adminEmail = (await createFirstOrg()).actor.label;
});
afterAll(() => testDb.teardown());

const unknownEmail = () => `nobody-${randomUUID().slice(0, 8)}@example.test`;
const refuseFast = async (): Promise<TSignedIn | null> => null; // a wrong password, without spending a hash
const codes = (outcomes: TSignInOutcome[]) => outcomes.map((o) => (o.ok ? "ok" : o.code));
const count = (outcomes: TSignInOutcome[], code: string) => codes(outcomes).filter((c) => c === code).length;

describe("sign-in throttle", () => {
  it(`41 guesses at once for one email (one of them right): at most ${PER_PAIR} password checks, the rest refused with the wait`, async () => {
    const passwords = Array.from({ length: 40 }, (_, i) => `wrong guess ${i}`);
    passwords.splice(Math.floor(Math.random() * 41), 0, RIGHT);

    // Every attempt arrives before any check completes (a gate holds the
    // checks until all 41 are either checking or refused), as when they are
    // sent at once: nothing that finishes early can change the count.
    let verifications = 0;
    let arrived = 0;
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const arrive = () => ++arrived === passwords.length && openGate();
    const verify = async (email: string, password: string) => {
      verifications++;
      arrive();
      await gate;
      return verifySignIn(email, password);
    };
    const outcomes = await Promise.all(
      passwords.map(async (password) => {
        const outcome = await authorizeSignIn({ email: adminEmail, password, clientAddress: "203.0.113.10", verify });
        if (!outcome.ok && outcome.code === "throttled") arrive();
        return outcome;
      }),
    );

    expect(verifications).toBe(PER_PAIR);
    expect(count(outcomes, "throttled")).toBe(41 - PER_PAIR);
    expect(count(outcomes, "ok") + count(outcomes, "invalid_credentials")).toBe(PER_PAIR);
    for (const o of outcomes) {
      if (!o.ok && o.code === "throttled") expect(o.retryAfterSeconds).toBeGreaterThan(0);
      if (!o.ok && o.code === "throttled") expect(o.retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_LIMITS.perEmailAndAddress.windowSeconds);
    }
  });

  it("locks out only that address: the real user signs in from another one", async () => {
    // Its own address, spent here: the test above may have cleared its pair with the right password.
    for (let i = 0; i < PER_PAIR; i++) await authorizeSignIn({ email: adminEmail, password: "wrong", clientAddress: "203.0.113.11", verify: refuseFast });
    const locked = await authorizeSignIn({ email: adminEmail, password: RIGHT, clientAddress: "203.0.113.11" });
    expect(locked).toMatchObject({ ok: false, code: "throttled" });
    expect(await authorizeSignIn({ email: adminEmail, password: RIGHT, clientAddress: "198.51.100.20" })).toMatchObject({ ok: true });
    // The email is not the key on its own: another address starts with a full allowance.
    expect(await authorizeSignIn({ email: adminEmail.toUpperCase(), password: "wrong", clientAddress: "198.51.100.21" })).toMatchObject({
      code: "invalid_credentials",
    });
  });

  it(`caps one email at ${PER_EMAIL} attempts across all addresses`, async () => {
    const email = unknownEmail();
    const spread = await Promise.all(
      Array.from({ length: PER_EMAIL }, (_, i) => authorizeSignIn({ email, password: "x", clientAddress: `10.9.${i >> 8}.${i & 255}`, verify: refuseFast })),
    );
    expect(count(spread, "invalid_credentials")).toBe(PER_EMAIL);
    const fresh = await authorizeSignIn({ email, password: "x", clientAddress: "192.0.2.200", verify: refuseFast });
    expect(fresh).toMatchObject({ ok: false, code: "throttled" });
    // Another email is not affected.
    expect(await authorizeSignIn({ email: unknownEmail(), password: "x", clientAddress: "192.0.2.200", verify: refuseFast })).toMatchObject({
      code: "invalid_credentials",
    });
  });

  it("a successful sign-in clears that address's failures", async () => {
    const address = "192.0.2.5";
    for (let i = 0; i < PER_PAIR - 1; i++) await authorizeSignIn({ email: adminEmail, password: "x", clientAddress: address, verify: refuseFast });
    expect(await authorizeSignIn({ email: adminEmail, password: RIGHT, clientAddress: address })).toMatchObject({ ok: true });
    const after = [];
    for (let i = 0; i < PER_PAIR + 1; i++) after.push(await authorizeSignIn({ email: adminEmail, password: "x", clientAddress: address, verify: refuseFast }));
    expect(codes(after)).toEqual([...Array(PER_PAIR).fill("invalid_credentials"), "throttled"]);
  });

  it("an attempt the server was too busy to check costs nothing", async () => {
    const email = unknownEmail();
    const busy = await authorizeSignIn({ email, password: "x", clientAddress: "192.0.2.9", verify: () => Promise.reject(new HashQueueFullError()) });
    expect(busy).toEqual({ ok: false, code: "busy" });
    const after = [];
    for (let i = 0; i < PER_PAIR + 1; i++) after.push(await authorizeSignIn({ email, password: "x", clientAddress: "192.0.2.9", verify: refuseFast }));
    expect(codes(after)).toEqual([...Array(PER_PAIR).fill("invalid_credentials"), "throttled"]);
  });

  it("keeps no email address in the counters' table", async () => {
    const prisma = await db();
    const rows = await prisma.rateLimit.findMany({ where: { key: { startsWith: "sign-in:" } } });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.key.includes("@"))).toEqual([]);
  });

  it("two app processes share one count", async () => {
    const email = unknownEmail();
    const run = (): Promise<{ verifications: number; invalid: number; throttled: number }> =>
      new Promise((resolve, reject) => {
        const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["--conditions=react-server", "tests/fixtures/sign-in-guesses.ts", email, "203.0.113.77", "6"], {
          cwd: ROOT,
          env: process.env,
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`child exited ${code}: ${err}`))));
      });
    let tallies;
    if (testDb.kind === "postgres") {
      tallies = await Promise.all([run(), run()]); // side by side on one PostgreSQL database
    } else {
      // The embedded database admits one process at a time: this one steps aside, the two run in turn.
      await closeDb();
      tallies = [await run(), await run()];
    }
    expect(tallies.map((t) => t.verifications).reduce((a, b) => a + b)).toBe(PER_PAIR);
    expect(tallies.map((t) => t.invalid).reduce((a, b) => a + b)).toBe(PER_PAIR);
    expect(tallies.map((t) => t.throttled).reduce((a, b) => a + b)).toBe(12 - PER_PAIR);
    // And this process sees the same count.
    expect(await authorizeSignIn({ email, password: "x", clientAddress: "203.0.113.77", verify: refuseFast })).toMatchObject({ code: "throttled" });
  }, 120_000);
});
