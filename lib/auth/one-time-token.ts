import "server-only";
import { createHash, randomBytes } from "node:crypto";

// Tokens that travel in a link (invites, the setup link): 256 random bits,
// base64url. Only the SHA-256 is stored, so a copy of the database opens
// nothing; a fast hash suffices because the token itself is unguessable.

export const ONE_TIME_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function hashOneTimeToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function newOneTimeToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashOneTimeToken(token) };
}
