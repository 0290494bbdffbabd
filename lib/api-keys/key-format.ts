import { createHash, randomBytes } from "node:crypto";

// API key format: `swb_` + 54 base62 characters (320 random bits) + a
// 6-character base62 checksum of everything before it. The prefix lets
// secret scanners recognise a leaked key, the checksum lets them tell a real
// key from random text without asking us. We do not use it to skip work:
// authenticateApiKey hashes and looks up a key that fails the checksum too,
// so a malformed key costs what an unknown one does (no timing signal).
// Only the first 12 characters (`swb_` + 8) are ever shown again after creation.

export const API_KEY_PREFIX = "swb_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_BYTES = 40;
const BODY_LENGTH = 54; // ceil(320 / log2(62))
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32
export const API_KEY_LENGTH = API_KEY_PREFIX.length + BODY_LENGTH + CHECKSUM_LENGTH;
const DISPLAY_LENGTH = API_KEY_PREFIX.length + 8;

/** Anything that looks like one of our keys, e.g. in a query string or a log line. */
export const API_KEY_LIKE = /swb_[0-9A-Za-z]{8,}/;

function base62(bytes: Buffer, length: number): string {
  let n = BigInt(`0x${bytes.toString("hex") || "0"}`);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(length, "0");
}

function checksum(head: string): string {
  return base62(createHash("sha256").update(head, "utf8").digest().subarray(0, 4), CHECKSUM_LENGTH);
}

export type TNewApiKey = { key: string; prefix: string };

export function generateApiKey(): TNewApiKey {
  const head = API_KEY_PREFIX + base62(randomBytes(RANDOM_BYTES), BODY_LENGTH);
  const key = head + checksum(head);
  return { key, prefix: displayPrefix(key) };
}

/** What the UI shows of a key after creation. */
export function displayPrefix(key: string): string {
  return key.slice(0, DISPLAY_LENGTH);
}

export type TKeyFormatProblem = "wrong_prefix" | "wrong_length" | "bad_characters" | "bad_checksum";

/** null when `candidate` is a well-formed key (it may still be unknown or revoked). */
export function keyFormatProblem(candidate: string): TKeyFormatProblem | null {
  if (!candidate.startsWith(API_KEY_PREFIX)) return "wrong_prefix";
  if (candidate.length !== API_KEY_LENGTH) return "wrong_length";
  if (!/^[0-9A-Za-z]+$/.test(candidate.slice(API_KEY_PREFIX.length))) return "bad_characters";
  const head = candidate.slice(0, -CHECKSUM_LENGTH);
  return checksum(head) === candidate.slice(-CHECKSUM_LENGTH) ? null : "bad_checksum";
}
