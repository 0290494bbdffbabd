import "server-only";
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { withHashSlot } from "@/lib/auth/hash-slots";

// scrypt, built into Node and memory-hard, at N=2^17, r=8, p=1 (OWASP's
// minimum). Hashes are self-describing PHC strings:
//   $scrypt$ln=17,r=8,p=1$<salt>$<key>      (base64 without padding)
// so the parameters can grow: a hash made with weaker ones (or in the older
// "scrypt$N$r$p$salt$key" form) still verifies, and needsRehash() tells the
// sign-in to replace it. Every hash runs in a hash slot (lib/auth/hash-slots.ts).

export const SCRYPT_PARAMS = { ln: 17, r: 8, p: 1 } as const;
const KEY_LEN = 32;
const SALT_LEN = 16;

type TParams = { ln: number; r: number; p: number };
type TParsed = { params: TParams; salt: Buffer; key: Buffer; format: "phc" | "legacy" };

// Bounds on what a stored hash may ask for: a tampered row must not make a
// sign-in allocate gigabytes or spin for minutes. Work grows with N·r·p and
// memory with N·r; both may be at most 4× today's parameters.
const MAX_WORK = 4 * 2 ** SCRYPT_PARAMS.ln * SCRYPT_PARAMS.r * SCRYPT_PARAMS.p;
const within = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
const validParams = ({ ln, r, p }: TParams) =>
  within(ln, 10, 20) && within(r, 1, 32) && within(p, 1, 16) && 2 ** ln * r * p <= MAX_WORK;

const b64 = (buf: Buffer) => buf.toString("base64").replace(/=+$/, "");
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

function parse(stored: string): TParsed | null {
  let parsed: TParsed | null = null;
  const phc = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([^$]+)\$([^$]+)$/.exec(stored);
  if (phc) {
    const [, ln, r, p, salt, key] = phc;
    if (B64.test(salt!) && B64.test(key!)) {
      parsed = { params: { ln: Number(ln), r: Number(r), p: Number(p) }, salt: Buffer.from(salt!, "base64"), key: Buffer.from(key!, "base64"), format: "phc" };
    }
  }
  const legacy = /^scrypt\$(\d{1,8})\$(\d{1,2})\$(\d{1,2})\$([^$]+)\$([^$]+)$/.exec(stored);
  if (legacy) {
    const [, n, r, p, salt, key] = legacy;
    const ln = Math.log2(Number(n));
    if (B64.test(salt!) && B64.test(key!)) {
      parsed = { params: { ln, r: Number(r), p: Number(p) }, salt: Buffer.from(salt!, "base64"), key: Buffer.from(key!, "base64"), format: "legacy" };
    }
  }
  if (!parsed || !validParams(parsed.params) || parsed.salt.length < 8 || !within(parsed.key.length, 16, 64)) return null;
  return parsed;
}

function derive(password: string, salt: Buffer, { ln, r, p }: TParams, keyLen: number): Promise<Buffer> {
  const N = 2 ** ln;
  // scrypt needs 128·N·r bytes plus a little; maxmem is a ceiling, not an allocation.
  const maxmem = 128 * N * r * 2;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, keyLen, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LEN);
  const key = await withHashSlot(() => derive(password, salt, SCRYPT_PARAMS, KEY_LEN));
  const { ln, r, p } = SCRYPT_PARAMS;
  return `$scrypt$ln=${ln},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
}

/** True when `password` matches `stored`; false for a wrong password and for a hash this code cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await withHashSlot(() => derive(password, parsed.salt, parsed.params, parsed.key.length));
  return timingSafeEqual(key, parsed.key);
}

/** A readable hash made with other parameters or the older format: replace it at the next successful sign-in. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  const { ln, r, p } = parsed.params;
  return parsed.format !== "phc" || ln !== SCRYPT_PARAMS.ln || r !== SCRYPT_PARAMS.r || p !== SCRYPT_PARAMS.p || parsed.key.length !== KEY_LEN;
}

/** Spends the same time as a real check, so unknown emails are not detectable by timing. */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("not-a-real-password");
  await verifyPassword(password, await dummyHash);
}
