// Fixtures for the integrations-list benchmark and its integration test,
// in plain JS so both `node bench/list.mjs` and Vitest can use them: an
// organization with an admin who can sign in, many connections inserted in
// one statement (with real AES-256-GCM ciphertexts, so the list's
// "secrets readable" check does real work), and a next-auth sign-in over HTTP.
import { createCipheriv, randomBytes, randomUUID, scrypt } from "node:crypto";
import { promisify } from "node:util";

const scryptAsync = promisify(scrypt);

// api_key providers of the built-in registry; rows spread over them so the list groups.
export const SEED_PROVIDERS = ["openai", "anthropic", "openrouter", "mistral", "deepseek", "xai", "groq", "elevenlabs", "sendgrid", "brevo", "stripe", "postmark"];

/** `$scrypt$ln=17,r=8,p=1$salt$key` as lib/auth/password.ts writes it (today's parameters: no rehash at sign-in). */
export async function passwordHash(password) {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });
  const b64 = (b) => b.toString("base64").replace(/=+$/, "");
  return `$scrypt$ln=17,r=8,p=1$${b64(salt)}$${b64(key)}`;
}

/** A new organization and its admin; `sql` is a connected pg Client. */
export async function createOrgWithAdmin(sql, { orgName, email, password }) {
  const orgId = randomUUID();
  const userId = randomUUID();
  await sql.query(`INSERT INTO organizations (id, name) VALUES ($1, $2)`, [orgId, orgName]);
  await sql.query(`INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3)`, [userId, email, await passwordHash(password)]);
  await sql.query(`INSERT INTO memberships (id, org_id, user_id, role) VALUES ($1, $2, $3, 'admin')`, [randomUUID(), orgId, userId]);
  return { orgId, userId, email, password };
}

/** AES-256-GCM blob laid out as lib/integrations/crypto/cipher.ts seals it, bound to its row. */
function seal(keyEntry, uuid, orgId, secrets) {
  const [version, b64] = keyEntry.split(":");
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(b64, "base64"), nonce);
  cipher.setAAD(Buffer.from(`switchboard:secret:v1|${uuid}|${orgId}|${version}`, "utf8"));
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), "utf8"), cipher.final()]);
  return { blob: Buffer.concat([Buffer.from([1]), nonce, body, cipher.getAuthTag()]), keyVersion: Number(version) };
}

/**
 * `count` connections for `orgId` in one INSERT (unnest of arrays): names
 * `conn-0001`…, spread over SEED_PROVIDERS, each with a sealed API key and a
 * status as a tested connection has. `keyEntry` is one SWITCHBOARD_ENCRYPTION_KEYS entry ("1:<base64>").
 */
export async function seedConnections(sql, { orgId, count, keyEntry, namePrefix = "conn" }) {
  const uuids = [], keys = [], values = [], secrets = [], versions = [];
  const now = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    const uuid = randomUUID();
    const provider = SEED_PROVIDERS[i % SEED_PROVIDERS.length];
    const name = `${namePrefix}-${String(i + 1).padStart(4, "0")}`;
    const sealed = seal(keyEntry, uuid, orgId, { api_key: `sk-bench-${randomBytes(12).toString("hex")}` });
    uuids.push(uuid);
    keys.push(`integration:${provider}:${name}`);
    values.push(
      JSON.stringify({
        provider,
        name,
        auth_type: "api_key",
        status: i % 7 === 0 ? "error" : "connected",
        validation_status: i % 7 === 0 ? "The provider refused the API key (401)." : "API key accepted",
        last_validated_at: now,
        external_account_name: `Team ${i + 1}`,
        setup: {},
        secrets_set: ["api_key"],
      }),
    );
    secrets.push(sealed.blob);
    versions.push(sealed.keyVersion);
  }
  await sql.query(
    `INSERT INTO settings (uuid, org_id, key, value, secret, key_version, updated_at)
     SELECT u, $1::uuid, k, v::jsonb, s, kv, now() FROM unnest($2::uuid[], $3::text[], $4::text[], $5::bytea[], $6::int[]) AS t(u, k, v, s, kv)`,
    [orgId, uuids, keys, values, secrets, versions],
  );
  return uuids;
}

/** Signs in through next-auth's credentials endpoint; returns the Cookie header that carries the session. */
export async function signIn(baseUrl, { email, password }) {
  const jar = new Map();
  const keep = (res) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = await csrfRes.json();
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: `${baseUrl}/admin/settings/integrations` }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed for ${email} (HTTP ${res.status})`);
  return cookie();
}
