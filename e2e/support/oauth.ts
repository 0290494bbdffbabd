import { createDecipheriv } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import pg from "pg";
import { ENCRYPTION_KEYS, OIDC } from "./env";

// The OAuth browser tests' helpers: the stand-in's own login and consent
// pages, its counters, and what a connection's sealed blob holds.

export type TOidcCounters = { refreshes: number; refreshErrors: string[]; revocations: number; codeGrants: number };

export async function oidcCounters(): Promise<TOidcCounters> {
  return (await fetch(`${OIDC.url}/__test/counters`)).json() as Promise<TOidcCounters>;
}

export async function issuedTokens(): Promise<string[]> {
  return ((await (await fetch(`${OIDC.url}/__test/issued`)).json()) as { tokens: string[] }).tokens;
}

/** On the stand-in's (oidc-provider's) real pages: sign in as `login`, then allow access. */
export async function signInAndConsent(page: Page, login: string): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${OIDC.url}/interaction/`));
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

/** The names of the secrets sealed in a connection's row (postgres mode), decrypted with the server's keys. */
export async function storedSecretNames(databaseUrl: string, uuid: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT org_id::text AS org_id, secret, key_version FROM settings WHERE uuid = $1", [uuid]);
    const row = rows[0] as { org_id: string; secret: Buffer | null; key_version: number | null };
    if (!row.secret || row.key_version === null) return [];
    const entry = (ENCRYPTION_KEYS ?? "").split(",").find((e) => e.startsWith(`${row.key_version}:`));
    if (!entry) throw new Error(`key version ${row.key_version} not in E2E_ENCRYPTION_KEYS`);
    // lib/integrations/crypto/cipher.ts: [0x01][nonce 12][ciphertext][tag 16], AAD binds uuid, org and key version.
    const blob = row.secret;
    const decipher = createDecipheriv("aes-256-gcm", Buffer.from(entry.slice(entry.indexOf(":") + 1), "base64"), blob.subarray(1, 13));
    decipher.setAAD(Buffer.from(`switchboard:secret:v1|${uuid}|${row.org_id}|${row.key_version}`, "utf8"));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    const json = Buffer.concat([decipher.update(blob.subarray(13, blob.length - 16)), decipher.final()]).toString("utf8");
    return Object.keys(JSON.parse(json) as Record<string, string>).sort();
  } finally {
    await client.end();
  }
}
