import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { TConnectionStatus } from "@/lib/integrations/connection-value";
import { listProviders } from "@/lib/integrations/providers/registry";
import { openRowSecrets, parseValue, rememberedReadability, rememberReadability } from "./connection-row";
import type { TReadContext } from "./context";

// One page of the integrations list, paged, counted and searched in
// PostgreSQL: the cost of a page does not grow with the organization. One
// statement (per-provider counts and the page's rows); the list never
// selects the secret column — whether a row's secrets still decrypt is known
// from a SHA-256 digest computed in SQL, remembered per exact ciphertext, and
// only a ciphertext never checked before is read (once) to find out.

export const LIST_PAGE_SIZE = 50;
export const LIST_QUERY_MAX = 100;

/** `q`: matched case-insensitively, as a substring, against the provider key, its display name and the connection name. */
export const ZListQuery = z
  .string()
  .trim()
  .max(LIST_QUERY_MAX, `must be at most ${LIST_QUERY_MAX} characters`)
  // PostgreSQL text cannot hold NUL; no name or provider holds any control character.
  .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters");

export type TListConnectionPageInput = { page: number; q?: string; pageSize?: number };

/** What the list shows of a connection: no setup fields, no secret, nothing the row does not display. */
export type TConnectionListRow = {
  uuid: string;
  provider: string;
  name: string;
  account: string | null;
  status: TConnectionStatus;
  validationStatus: string | null;
  lastValidatedAt: string | null;
  secretsUnreadable: boolean;
};

export type TConnectionListPage = {
  rows: TConnectionListRow[];
  /** 1-based, clamped to the last page. */
  page: number;
  pages: number;
  pageSize: number;
  /** Connections matching `q` (all of them without `q`). */
  matching: number;
  /** Every connection of the organization. */
  total: number;
  /** Connections per provider key (whatever `q` says): the catalog's counts. */
  countsByProvider: Record<string, number>;
  q: string;
};

type TCountRow = { provider: string; total: number; matching: number };
type TPageRow = { uuid: string; key: string; value: unknown; key_version: number | null; has_secret: boolean; secret_digest: string | null };

const PROVIDER = Prisma.sql`split_part(key, ':', 2)`;
const NAME = Prisma.sql`split_part(key, ':', 3)`;

/** `%`, `_` and the escape character itself match literally. */
export function likeContains(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function matchClause(q: string): Prisma.Sql {
  if (!q) return Prisma.sql`TRUE`;
  const needle = q.toLowerCase();
  // Display names live in the code-defined registry, not in the row.
  const byDisplayName = listProviders()
    .filter((p) => p.name.toLowerCase().includes(needle))
    .map((p) => p.key);
  const pattern = likeContains(q);
  return Prisma.sql`(${PROVIDER} ILIKE ${pattern} ESCAPE '\\' OR ${NAME} ILIKE ${pattern} ESCAPE '\\' OR ${PROVIDER} = ANY(${byDisplayName}::text[]))`;
}

/** A page number far past any real last page still fits the SQL integer it is compared with. */
const MAX_PAGE = 1_000_000;

type TPageQueryRow = { counts: TCountRow[]; page: number; rows: TPageRow[] };

export async function listConnectionPage(ctx: TReadContext, input: TListConnectionPageInput): Promise<TConnectionListPage> {
  const pageSize = input.pageSize ?? LIST_PAGE_SIZE;
  const q = ZListQuery.catch("").parse(input.q ?? "");
  const requested = Math.min(MAX_PAGE, Math.max(1, Math.trunc(input.page) || 1));
  const match = matchClause(q);
  const prisma = await db();
  const ofOrg = Prisma.sql`org_id = ${ctx.orgId}::uuid AND key LIKE 'integration:%'`;

  // One statement: the per-provider counts, the requested page clamped to the last one, and that page's rows.
  // Grouped by provider, "default" first within a provider, then by name (uuid keeps pages stable). The
  // innermost query sorts and cuts on the key alone; only the page's rows are then read in full (their JSON
  // state, the digest of their ciphertext), so a later page costs what the first one does.
  const [result] = await prisma.$queryRaw<TPageQueryRow[]>`
    WITH counts AS (
      SELECT ${PROVIDER} AS provider, count(*)::int AS total, (count(*) FILTER (WHERE ${match}))::int AS matching
      FROM settings WHERE ${ofOrg} GROUP BY 1
    ), clamped AS (
      SELECT LEAST(${requested}::int, GREATEST(1, CEIL(COALESCE(SUM(matching), 0) / ${pageSize}::numeric)))::int AS page FROM counts
    )
    SELECT COALESCE((SELECT json_agg(counts) FROM counts), '[]'::json) AS counts,
           (SELECT page FROM clamped) AS page,
           COALESCE((
             SELECT json_agg(json_build_object(
                      'uuid', s.uuid::text, 'key', s.key, 'value', s.value - 'setup' - 'scopes', 'key_version', s.key_version,
                      'has_secret', s.secret IS NOT NULL, 'secret_digest', encode(sha256(s.secret), 'base64'))
                    ORDER BY page.provider, page.not_default, page.name, page.uuid)
             FROM (
               SELECT uuid, ${PROVIDER} AS provider, ${NAME} <> 'default' AS not_default, ${NAME} AS name
               FROM settings WHERE ${ofOrg} AND ${match}
               ORDER BY 2, 3, 4, 1 LIMIT ${pageSize} OFFSET ((SELECT page FROM clamped) - 1) * ${pageSize}
             ) AS page JOIN settings s ON s.uuid = page.uuid AND s.org_id = ${ctx.orgId}::uuid
           ), '[]'::json) AS rows`;

  const countsByProvider: Record<string, number> = {};
  let total = 0;
  let matching = 0;
  for (const c of result!.counts) {
    countsByProvider[c.provider] = c.total;
    total += c.total;
    matching += c.matching;
  }
  const pages = Math.max(1, Math.ceil(matching / pageSize));
  const page = result!.page;
  const unreadable = await unreadableSecrets(ctx, result!.rows);
  return { rows: result!.rows.map((r) => toListRow(r, unreadable.has(r.uuid))), page, pages, pageSize, matching, total, countsByProvider, q };
}

/** Uuids of rows whose secrets cannot be read; decrypts only ciphertexts this process has not checked yet. */
async function unreadableSecrets(ctx: TReadContext, rows: TPageRow[]): Promise<Set<string>> {
  const unreadable = new Set<string>();
  const unchecked: TPageRow[] = [];
  for (const r of rows) {
    if (!r.has_secret || r.key_version === null || r.secret_digest === null) {
      // Decided without the blob: no blob while the state names secrets, or a blob without a key version.
      const ok = r.has_secret ? false : openRowSecrets({ uuid: r.uuid, orgId: ctx.orgId, secret: null, keyVersion: r.key_version, value: r.value }).ok;
      if (!ok) unreadable.add(r.uuid);
      continue;
    }
    const known = rememberedReadability({ uuid: r.uuid, orgId: ctx.orgId, keyVersion: r.key_version }, r.secret_digest);
    if (known === undefined) unchecked.push(r);
    else if (!known) unreadable.add(r.uuid);
  }
  if (unchecked.length === 0) return unreadable;
  const prisma = await db();
  const blobs = await prisma.setting.findMany({
    where: { orgId: ctx.orgId, uuid: { in: unchecked.map((r) => r.uuid) } },
    select: { uuid: true, orgId: true, secret: true, keyVersion: true, value: true },
  });
  const byUuid = new Map(blobs.map((b) => [b.uuid, b]));
  for (const r of unchecked) {
    const blob = byUuid.get(r.uuid);
    // Changed between the two reads: judge the blob we hold now, remember it under the digest we listed only if it is the same.
    const ok = blob ? openRowSecrets(blob).ok : false;
    if (blob?.secret && blob.keyVersion === r.key_version) rememberReadabilityIfSame(r, ctx.orgId, blob.secret, ok);
    if (!ok) unreadable.add(r.uuid);
  }
  return unreadable;
}

function rememberReadabilityIfSame(r: TPageRow, orgId: string, secret: Uint8Array, readable: boolean): void {
  const digest = createHash("sha256").update(secret).digest("base64");
  if (digest === r.secret_digest) rememberReadability({ uuid: r.uuid, orgId, keyVersion: r.key_version! }, digest, readable);
}

function toListRow(r: TPageRow, secretsUnreadable: boolean): TConnectionListRow {
  const v = parseValue(r);
  return {
    uuid: r.uuid,
    provider: v.provider,
    name: v.name,
    account: v.external_account_email ?? v.external_account_name ?? v.external_account_id ?? null,
    status: v.status,
    validationStatus: v.validation_status ?? null,
    lastValidatedAt: v.last_validated_at ?? null,
    secretsUnreadable,
  };
}
