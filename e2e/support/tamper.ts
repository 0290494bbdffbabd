import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { expect, type Page } from "@playwright/test";
import { dismissToast } from "./test";
import { DATA_DIR, DB_KIND, E2E_DATABASE_URL } from "./env";

// Makes stored secrets unreadable from outside the app, as an attacker with
// storage access (or a lost key) would:
// - PostgreSQL: flip one byte of the row's ciphertext with SQL;
// - embedded database (which no second process may open): replace a key in
//   the generated key file, and have the server reload the ring.

/** PostgreSQL only: runs `sql` with the row's uuid as $1 against the e2e server's database. */
export async function tamperRow(uuid: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    const { rowCount } = await client.query(sql, [uuid]);
    expect(rowCount).toBe(1);
  } finally {
    await client.end();
  }
}

const keyFile = () => path.join(DATA_DIR!, "encryption-keys");

/** Embedded database: "Generate new key" on the security page; returns the new version. */
export async function generateKey(page: Page): Promise<number> {
  await page.goto("/admin/settings/security");
  await page.getByRole("button", { name: "Generate new key" }).click();
  const toast = page.locator("[data-sonner-toast]").filter({ hasText: /^Generated key version \d+\./ });
  const version = Number(/version (\d+)/.exec((await toast.textContent()) ?? "")?.[1]);
  await dismissToast(page, `Generated key version ${version}. New secrets use it now; re-encrypt to move the existing ones.`);
  await expect(page.getByTestId("key-version")).toHaveText(String(version));
  return version;
}

/**
 * Embedded database: `save` stores secrets under a fresh key version, which is
 * then swapped for another key in the file; generating the next key makes the
 * server reload the ring, and only what `save` stored becomes unreadable.
 */
export async function withForeignKey(page: Page, save: () => Promise<void>): Promise<void> {
  expect(DB_KIND).toBe("pglite");
  const version = await generateKey(page);
  await save();
  const lines = fs.readFileSync(keyFile(), "utf8").trim().split("\n");
  const swapped = lines.map((l) => (l.startsWith(`${version}:`) ? `${version}:${randomBytes(32).toString("base64")}` : l));
  expect(swapped).not.toEqual(lines);
  fs.writeFileSync(keyFile(), swapped.join("\n") + "\n");
  await generateKey(page);
}
