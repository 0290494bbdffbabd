import "server-only";
import { anchorMatches, ANCHOR_EVERY, writeAnchor } from "@/lib/audit/service/anchors";
import { db, type DbTx } from "@/lib/db";

// Recomputes an organization's audit hash chain (see the audit chain
// migration: a trigger writes `seq`, `prev_hash` and `hash` on insert) and
// checks its signed anchors (lib/audit/service/anchors.ts), then reports the first
// row where either breaks. Everything is read in one REPEATABLE READ, READ
// ONLY transaction: rows appended meanwhile are not half-seen, so concurrent
// writers cause no false alarm. The hash is recomputed by the same SQL
// function the trigger uses, in one query per organization.

export type TChainBreakReason =
  | "content_altered"
  | "link_broken"
  | "rows_missing"
  | "tail_missing"
  | "anchor_mismatch"
  | "anchored_row_missing"
  | "anchor_missing"
  | "anchor_invalid";

export type TChainBreak = {
  reason: TChainBreakReason;
  /** The first row that fails (null when it no longer exists). */
  rowId: string | null;
  seq: number;
  action: string | null;
  createdAt: string | null;
  message: string;
};

export type TChainReport = { orgId: string; rows: number; intact: boolean; firstBreak: TChainBreak | null };

type TRow = { id: string; seq: number; action: string; created_at: Date };
type TBrokenRow = TRow & { content_ok: boolean; link_ok: boolean; seq_ok: boolean };
type TAnchorRow = {
  seq: number;
  row_id: string;
  row_hash: string;
  key_version: number;
  mac: string;
  current_id: string | null;
  current_hash: string | null;
  action: string | null;
  created_at: Date | null;
};

const MESSAGES: Record<TChainBreakReason, (seq: number, since: number) => string> = {
  content_altered: (seq) => `Row #${seq} was changed after it was written: its content no longer matches its hash.`,
  link_broken: (seq) => `Row #${seq} does not link to the row before it: that row was changed or replaced.`,
  rows_missing: (seq) => `Rows before #${seq} are missing: the numbering jumps.`,
  tail_missing: (seq) => `Rows after #${seq} are missing: the chain head records more rows than the table holds.`,
  anchor_mismatch: (seq, since) =>
    `The chain was rewritten: row #${seq} no longer matches its signed anchor, so a row after #${since}, up to #${seq}, was changed and the hashes after it recomputed.`,
  anchored_row_missing: (seq) => `Rows are missing: a signed anchor vouches for row #${seq}, which the log no longer has (it was cut back).`,
  anchor_missing: (seq) => `The signed anchor of row #${seq} was removed: the rows up to #${seq} cannot be vouched for.`,
  anchor_invalid: (seq) =>
    `The signed anchor of row #${seq} does not verify: it was not written with this server's key (or its pepper version is no longer configured).`,
};

function breakOf(reason: TChainBreakReason, seq: number, row?: { id: string | null; action: string | null; created_at: Date | null }, since = 0): TChainBreak {
  return {
    reason,
    rowId: row?.id ?? null,
    seq,
    action: row?.action ?? null,
    createdAt: row?.created_at ? row.created_at.toISOString() : null,
    message: MESSAGES[reason](seq, since),
  };
}

/** The first anchor problem, by seq: forged or unknown MAC, row gone or changed, a required anchor absent. */
function anchorBreak(anchors: TAnchorRow[], orgId: string, lastSeq: number): TChainBreak | null {
  const found: TChainBreak[] = [];
  let since = 0;
  for (const a of anchors) {
    const signed = anchorMatches(a.key_version, { orgId, seq: a.seq, rowId: a.row_id, rowHash: a.row_hash }, a.mac);
    const row = { id: a.current_id, action: a.action, created_at: a.created_at };
    if (signed !== true) found.push(breakOf("anchor_invalid", a.seq, row));
    else if (a.current_id === null) found.push(breakOf("anchored_row_missing", a.seq));
    else if (a.current_id !== a.row_id || a.current_hash !== a.row_hash) found.push(breakOf("anchor_mismatch", a.seq, row, since));
    if (found.length > 0) break;
    since = a.seq;
  }
  const present = new Set(anchors.map((a) => a.seq));
  for (let seq = ANCHOR_EVERY; seq <= lastSeq; seq += ANCHOR_EVERY) {
    if (!present.has(seq)) {
      found.push(breakOf("anchor_missing", seq));
      break;
    }
  }
  return found.sort((a, b) => a.seq - b.seq)[0] ?? null;
}

type TSnapshot = { report: TChainReport; last: { seq: number; id: string; hash: string } | null };

async function readAndCheck(tx: DbTx, orgId: string): Promise<TSnapshot> {
  await tx.$executeRawUnsafe("SET TRANSACTION READ ONLY");
  const broken = await tx.$queryRaw<TBrokenRow[]>`
    WITH chain AS (
      SELECT a.id, a.seq, a.action, a.created_at,
             a.hash = audit_log_hash(a.prev_hash, a) AS content_ok,
             a.prev_hash IS NOT DISTINCT FROM lag(a.hash) OVER w AS link_ok,
             a.seq = coalesce(lag(a.seq) OVER w, 0) + 1 AS seq_ok
      FROM audit_logs a
      WHERE a.org_id = ${orgId}::uuid
      WINDOW w AS (ORDER BY a.seq)
    )
    SELECT * FROM chain WHERE NOT (content_ok AND link_ok AND seq_ok) ORDER BY seq LIMIT 1`;
  const [stats] = await tx.$queryRaw<{ rows: number; last_seq: number | null; last_id: string | null; last_hash: string | null }[]>`
    SELECT count(*)::int AS rows,
           max(seq) AS last_seq,
           (SELECT id::text FROM audit_logs WHERE org_id = ${orgId}::uuid ORDER BY seq DESC LIMIT 1) AS last_id,
           (SELECT hash FROM audit_logs WHERE org_id = ${orgId}::uuid ORDER BY seq DESC LIMIT 1) AS last_hash
    FROM audit_logs WHERE org_id = ${orgId}::uuid`;
  const head = await tx.auditChainHead.findUnique({ where: { orgId } });
  const anchors = await tx.$queryRaw<TAnchorRow[]>`
    SELECT an.seq, an.row_id::text AS row_id, an.row_hash, an.key_version, an.mac,
           a.id::text AS current_id, a.hash AS current_hash, a.action, a.created_at
    FROM audit_anchors an
    LEFT JOIN audit_logs a ON a.org_id = an.org_id AND a.seq = an.seq
    WHERE an.org_id = ${orgId}::uuid
    ORDER BY an.seq`;
  const rows = stats?.rows ?? 0;
  const lastSeq = stats?.last_seq ?? 0;

  const first = broken[0];
  let chainBreak: TChainBreak | null = null;
  if (first) {
    // A gap in the numbering explains a broken link too: report the cause.
    const reason: TChainBreakReason = !first.seq_ok ? "rows_missing" : !first.content_ok ? "content_altered" : "link_broken";
    chainBreak = breakOf(reason, first.seq, first);
  } else if ((head?.seq ?? 0) !== lastSeq || (head?.hash ?? "") !== (stats?.last_hash ?? "")) {
    // The head row is written with every insert: rows it counts beyond the last one were deleted.
    chainBreak = breakOf("tail_missing", lastSeq);
  }
  const anchored = anchorBreak(anchors, orgId, lastSeq);
  // The earliest problem is the one to look at; at the same row the chain's own finding is the more precise.
  const firstBreak = chainBreak && anchored ? (anchored.seq < chainBreak.seq ? anchored : chainBreak) : (chainBreak ?? anchored);
  const last = stats?.last_id && stats.last_hash ? { seq: lastSeq, id: stats.last_id, hash: stats.last_hash } : null;
  return { report: { orgId, rows, intact: firstBreak === null, firstBreak }, last };
}

export async function verifyAuditChain(orgId: string): Promise<TChainReport> {
  const prisma = await db();
  const { report, last } = await prisma.$transaction((tx) => readAndCheck(tx, orgId), { isolationLevel: "RepeatableRead" });
  // A verified chain is anchored at its newest row, so a later rewrite or cut of it shows.
  if (report.intact && last) await writeAnchor(prisma, { orgId, seq: last.seq, rowId: last.id, rowHash: last.hash });
  return report;
}

/** Every organization's chain (the CLI). */
export async function verifyAllAuditChains(): Promise<(TChainReport & { orgName: string })[]> {
  const prisma = await db();
  const orgs = await prisma.organization.findMany({ select: { id: true, name: true }, orderBy: { createdAt: "asc" } });
  const reports = [];
  for (const org of orgs) reports.push({ ...(await verifyAuditChain(org.id)), orgName: org.name });
  return reports;
}
