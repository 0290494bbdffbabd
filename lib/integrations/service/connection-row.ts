import "server-only";
import type { DbTx } from "@/lib/db";
import { ZConnectionValue, type TConnection, type TConnectionValue } from "@/lib/integrations/connection-value";
import { createHash } from "node:crypto";
import { keyRing, type KeyRing } from "@/lib/integrations/crypto/key-ring";
import { DecryptError, openSecrets, sealSecrets } from "@/lib/integrations/crypto/cipher";
import { parseSettingsKey } from "@/lib/integrations/settings-key";
import { UUID_PATTERN } from "@/lib/integrations/connection-ref";
import { fail, INVALID_UUID_MESSAGE, type TResult } from "./result";

// Shared plumbing for the service: the columns we read, row → DTO mapping,
// and the secret blob of one row.

export const CONNECTION_SELECT = {
  uuid: true,
  orgId: true,
  key: true,
  value: true,
  secret: true,
  keyVersion: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type TConnectionRow = {
  uuid: string;
  orgId: string;
  key: string;
  value: unknown;
  secret: Uint8Array<ArrayBuffer> | null;
  keyVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
};

/** The stored state, or null when it cannot be read (a mutation must then refuse rather than overwrite it). */
export function parseValueForUpdate(row: Pick<TConnectionRow, "key" | "value">): TConnectionValue | null {
  // Provider and name come from the key column, the one place they are trusted.
  const fromKey = parseSettingsKey(row.key);
  const parsed = ZConnectionValue.safeParse(row.value);
  if (!parsed.success || !fromKey) return null;
  // Keys this version does not know (written by a newer one) ride along untouched.
  return { ...(row.value as object), ...parsed.data, provider: fromKey.provider, name: fromKey.name };
}

/** The stored state for display: an unreadable one shows as an `error` connection instead of failing the page. */
export function parseValue(row: Pick<TConnectionRow, "key" | "value">): TConnectionValue {
  const fromKey = parseSettingsKey(row.key);
  return (
    parseValueForUpdate(row) ??
    ZConnectionValue.parse({ provider: fromKey?.provider ?? "", name: fromKey?.name ?? "", auth_type: "api_key", status: "error" })
  );
}

/** `opened`: the row's secrets when the caller has already read them (no second decryption). */
export function toConnection(row: TConnectionRow, opened?: TSecretsRead): TConnection {
  const v = parseValue(row);
  return {
    uuid: row.uuid,
    provider: v.provider,
    name: v.name,
    authType: v.auth_type,
    status: v.status,
    validationStatus: v.validation_status ?? null,
    lastValidatedAt: v.last_validated_at ?? null,
    connectedAt: v.connected_at ?? null,
    expiresAt: v.expires_at ?? null,
    tokenRefreshedAt: v.token_refreshed_at ?? null,
    scopes: v.scopes ?? [],
    account: {
      id: v.external_account_id ?? null,
      name: v.external_account_name ?? null,
      email: v.external_account_email ?? null,
    },
    setup: v.setup,
    secretsSet: v.secrets_set,
    secretsUnreadable: opened ? !opened.ok : !secretsReadable(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type TSecretsRead = { ok: true; secrets: Record<string, string> } | { ok: false; reason: string };

/**
 * The row's secrets, or why they cannot be read: a tampered or foreign blob, a
 * key version the ring lacks, a blob without a key version, or secrets the
 * state says are set but no blob holds. Never throws (a DecryptError must not
 * travel through a server action); the reason names no secret.
 */
export function openRowSecrets(row: Pick<TConnectionRow, "uuid" | "orgId" | "secret" | "keyVersion"> & { value?: unknown }): TSecretsRead {
  if (!row.secret) {
    const named = row.value === undefined ? [] : ZConnectionValue.safeParse(row.value).data?.secrets_set ?? [];
    return named.length > 0 ? { ok: false, reason: "secrets missing" } : { ok: true, secrets: {} };
  }
  if (row.keyVersion === null) return { ok: false, reason: "no key version" };
  try {
    return { ok: true, secrets: openSecrets(keyRing(), { uuid: row.uuid, orgId: row.orgId }, { blob: row.secret, keyVersion: row.keyVersion }) };
  } catch (err) {
    if (err instanceof DecryptError) return { ok: false, reason: err.reason };
    throw err;
  }
}

// Whether a row's secrets decrypt, remembered per exact ciphertext (digest),
// row, organization, key version and key ring: a list of a thousand
// connections decrypts only what changed since the last render, and a blob
// altered behind the app's back (SQL) is a new entry. Holds booleans only.
const readability = new Map<string, boolean>();
let readabilityRing: KeyRing | undefined;
const MAX_REMEMBERED = 20_000;

function secretsReadable(row: TConnectionRow): boolean {
  if (!row.secret || row.keyVersion === null) return openRowSecrets(row).ok; // decided without decrypting
  const id = { uuid: row.uuid, orgId: row.orgId, keyVersion: row.keyVersion };
  const digest = createHash("sha256").update(row.secret).digest("base64");
  const known = rememberedReadability(id, digest);
  if (known !== undefined) return known;
  const readable = openRowSecrets(row).ok;
  rememberReadability(id, digest, readable);
  return readable;
}

type TReadabilityId = { uuid: string; orgId: string; keyVersion: number };

function readabilityId(row: TReadabilityId, digest: string): string {
  const ring = keyRing();
  if (ring !== readabilityRing) {
    readability.clear();
    readabilityRing = ring;
  }
  return `${row.uuid}|${row.orgId}|${row.keyVersion}|${digest}`;
}

/**
 * Whether this exact ciphertext (its base64 SHA-256 digest, which the list
 * query computes in SQL so it never reads the blob) was already found
 * readable; undefined when it was never checked.
 */
export function rememberedReadability(row: TReadabilityId, digest: string): boolean | undefined {
  return readability.get(readabilityId(row, digest));
}

export function rememberReadability(row: TReadabilityId, digest: string, readable: boolean): void {
  const id = readabilityId(row, digest);
  if (readability.size >= MAX_REMEMBERED) readability.clear();
  readability.set(id, readable);
}

export function sealForRow(
  row: { uuid: string; orgId: string },
  secrets: Record<string, string>,
): { secret: Uint8Array<ArrayBuffer> | null; keyVersion: number | null } {
  if (Object.keys(secrets).length === 0) return { secret: null, keyVersion: null };
  const sealed = sealSecrets(keyRing(), row, secrets);
  return { secret: sealed.blob, keyVersion: sealed.keyVersion };
}

/** An id that is not a uuid at all gets `invalid_uuid`; one naming no row is the caller's `not_configured` (or no-op). */
export function rejectMalformedUuid<T>(uuid: unknown): TResult<T> | null {
  return typeof uuid === "string" && UUID_PATTERN.test(uuid) ? null : fail<T>("invalid_uuid", INVALID_UUID_MESSAGE);
}

/** Reads a row for update: concurrent writers of one connection queue instead of losing each other's changes. */
export async function lockConnection(tx: DbTx, orgId: string, uuid: string): Promise<TConnectionRow | null> {
  // A malformed id names no row; casting it to uuid would make PostgreSQL throw instead.
  if (!UUID_PATTERN.test(uuid)) return null;
  uuid = uuid.toLowerCase();
  await tx.$executeRaw`SELECT 1 FROM settings WHERE uuid = ${uuid}::uuid AND org_id = ${orgId}::uuid FOR UPDATE`;
  return tx.setting.findFirst({ where: { uuid, orgId }, select: CONNECTION_SELECT });
}

export { UUID_PATTERN };
