import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceSetupLink, setupTokenFile } from "@/lib/accounts/setup-link";
import { createFirstAdmin } from "@/lib/accounts/service/setup";
import { isSetupTokenValid } from "@/lib/accounts/service/setup-token";
import { captureConsole, setEnv, setupTestDatabase, type TestDatabase } from "../support/test-db";

// The start-up half of the setup token: what the server prints and keeps in
// the data directory while no admin exists.

let testDb: TestDatabase;
let dataDir: string;
const saved = { dir: process.env.SWITCHBOARD_DATA_DIR, url: process.env.NEXTAUTH_URL };

beforeAll(async () => {
  testDb = await setupTestDatabase();
  // A directory of its own for the token file (the embedded database keeps its own open).
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-setup-link-"));
  setEnv("SWITCHBOARD_DATA_DIR", dataDir);
  setEnv("NEXTAUTH_URL", "http://127.0.0.1:4321");
});
afterAll(async () => {
  setEnv("SWITCHBOARD_DATA_DIR", saved.dir);
  setEnv("NEXTAUTH_URL", saved.url);
  await testDb.teardown();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function announce(): Promise<string> {
  const capture = captureConsole();
  try {
    await announceSetupLink();
  } finally {
    capture.restore();
  }
  return capture.text();
}

const LINK = /Open (http:\/\/127\.0\.0\.1:4321\/setup\?token=([A-Za-z0-9_-]{43}))\n/;

describe("the setup link at start", () => {
  it("prints the one-time link and writes its token to the data directory, readable by the owner only", async () => {
    const out = await announce();
    const [, , token] = LINK.exec(out) ?? [];
    expect(token).toBeDefined();
    const file = setupTokenFile();
    expect(file).toBe(path.join(dataDir, "setup-token"));
    expect(fs.readFileSync(file, "utf8").trim()).toBe(token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await isSetupTokenValid(token!)).toBe(true);
  });

  it("prints the same link after a restart, and a new one when the file's token is not valid", async () => {
    const first = LINK.exec(await announce())![2];
    expect(LINK.exec(await announce())![2]).toBe(first);
    fs.writeFileSync(setupTokenFile(), "tampered-token");
    const fresh = LINK.exec(await announce())![2]!;
    expect(fresh).not.toBe(first);
    expect(fs.readFileSync(setupTokenFile(), "utf8").trim()).toBe(fresh);
  });

  it("once the admin exists: prints nothing and removes the file", async () => {
    const token = fs.readFileSync(setupTokenFile(), "utf8").trim();
    expect(await createFirstAdmin({ token, orgName: "Org", email: "first@example.com", password: "correct horse battery staple" })).toMatchObject({ ok: true });
    expect(await announce()).not.toContain("/setup?token=");
    expect(fs.existsSync(setupTokenFile())).toBe(false);
    expect(await isSetupTokenValid(token)).toBe(false);
  });
});
