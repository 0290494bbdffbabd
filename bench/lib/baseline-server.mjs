// The resolve scenario's baseline: the obvious implementation of
// "credentials by uuid" — a bare node:http server, no framework, no cache,
// its own pg Pool; per request one primary-key read of the settings row and
// one AES-256-GCM decrypt in the app's blob format. Nothing else (no key
// check, no accounting): it is the floor our endpoint is compared with.
//
// Run as a child process: DATABASE_URL, SWITCHBOARD_ENCRYPTION_KEYS, PORT.
// Prints "baseline ready" once listening.
import { createDecipheriv } from "node:crypto";
import http from "node:http";
import pg from "pg";

// Blob layout of lib/integrations/crypto/cipher.ts: [0x01][nonce 12][ciphertext][tag 16],
// AAD "switchboard:secret:v1|<uuid>|<orgId>|<keyVersion>".
const FORMAT = 0x01;
const NONCE = 12;
const TAG = 16;

const keys = new Map(
  process.env.SWITCHBOARD_ENCRYPTION_KEYS.split(",").map((entry) => {
    const [version, key] = entry.trim().split(":");
    return [Number(version), Buffer.from(key, "base64")];
  }),
);

function decrypt(uuid, orgId, keyVersion, blob) {
  const key = keys.get(keyVersion);
  if (!key || blob.length < 1 + NONCE + TAG || blob[0] !== FORMAT) throw new Error("unreadable");
  const decipher = createDecipheriv("aes-256-gcm", key, blob.subarray(1, 1 + NONCE));
  decipher.setAAD(Buffer.from(`switchboard:secret:v1|${uuid}|${orgId}|${keyVersion}`, "utf8"));
  decipher.setAuthTag(blob.subarray(blob.length - TAG));
  return JSON.parse(Buffer.concat([decipher.update(blob.subarray(1 + NONCE, blob.length - TAG)), decipher.final()]).toString("utf8"));
}

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const ROUTE = /^\/api\/v1\/connections\/([0-9a-f-]{36})\/credentials$/;

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer(async (req, res) => {
  const match = req.method === "POST" ? ROUTE.exec(req.url) : null;
  if (!match) return send(res, 404, { error: { code: "not_found", message: "no such route" } });
  req.resume();
  try {
    const { rows } = await pool.query("SELECT uuid, org_id, value, secret, key_version FROM settings WHERE uuid = $1", [match[1]]);
    const row = rows[0];
    if (!row || !row.secret) return send(res, 404, { error: { code: "not_found", message: "no such connection" } });
    const credentials = decrypt(row.uuid, row.org_id, row.key_version, row.secret);
    send(res, 200, { uuid: row.uuid, provider: row.value.provider, authType: row.value.auth_type, credentials, expiresAt: row.value.expires_at ?? null });
  } catch {
    send(res, 500, { error: { code: "internal_error", message: "could not read the connection" } });
  }
});

server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("baseline ready"));
process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))));
