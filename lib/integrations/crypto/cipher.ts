import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { KeyRing } from "./key-ring";

// AES-256-GCM with a fresh 96-bit nonce per encryption. The additional
// authenticated data binds a ciphertext to its row, its organization and the
// key version, so a blob copied to another row or org fails to decrypt.
// Blob layout: [format 0x01][nonce 12][ciphertext …][tag 16].

const FORMAT = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export type CipherBinding = { uuid: string; orgId: string };
export type SealedSecret = { blob: Uint8Array<ArrayBuffer>; keyVersion: number };

export class DecryptError extends Error {
  /** Why, in words that never include the secret (safe for logs and audit rows). */
  readonly reason: string;
  constructor(reason: string) {
    super(`Secret could not be decrypted: ${reason}`);
    this.name = "DecryptError";
    this.reason = reason;
  }
}

function aad({ uuid, orgId }: CipherBinding, keyVersion: number): Buffer {
  return Buffer.from(`switchboard:secret:v1|${uuid}|${orgId}|${keyVersion}`, "utf8");
}

export function encryptSecret(ring: KeyRing, binding: CipherBinding, plaintext: string): SealedSecret {
  const { version, key } = ring.current;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(aad(binding, version));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const blob = Buffer.concat([Buffer.from([FORMAT]), nonce, body, cipher.getAuthTag()]);
  return { blob: new Uint8Array(blob), keyVersion: version };
}

export function decryptSecret(ring: KeyRing, binding: CipherBinding, sealed: SealedSecret): string {
  const key = ring.byVersion.get(sealed.keyVersion);
  if (!key) throw new DecryptError(`key version ${sealed.keyVersion} is not in the key ring`);
  const blob = Buffer.from(sealed.blob);
  if (blob.length < 1 + NONCE_BYTES + TAG_BYTES || blob[0] !== FORMAT) {
    throw new DecryptError("unknown blob format");
  }
  const nonce = blob.subarray(1, 1 + NONCE_BYTES);
  const tag = blob.subarray(blob.length - TAG_BYTES);
  const body = blob.subarray(1 + NONCE_BYTES, blob.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, nonce);
    decipher.setAAD(aad(binding, sealed.keyVersion));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptError("authentication failed (wrong key, row or organization)");
  }
}

/** Secrets of one connection travel as one JSON object in one blob. */
export function sealSecrets(ring: KeyRing, binding: CipherBinding, secrets: Record<string, string>): SealedSecret {
  return encryptSecret(ring, binding, JSON.stringify(secrets));
}

export function openSecrets(ring: KeyRing, binding: CipherBinding, sealed: SealedSecret): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decryptSecret(ring, binding, sealed));
  } catch (err) {
    if (err instanceof DecryptError) throw err;
    throw new DecryptError("not a JSON object");
  }
  const isObject = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
  if (!isObject || !Object.values(parsed as object).every((v) => typeof v === "string")) throw new DecryptError("not a map of secrets");
  return parsed as Record<string, string>;
}
