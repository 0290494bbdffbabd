import "server-only";
import { db } from "@/lib/db";

// Recomputes an organization's audit hash chain (see the audit chain
// migration: a trigger writes `seq`, `prev_hash` and `hash` on insert) and
// reports the first row where it breaks. The hash is recomputed by the same
// SQL function the trigger uses, in one query per organization.

export type TChainBreakReason = "content_altered" | "link_broken" | "rows_missing" | "tail_missing";

export type TChainBreak = {
  reason: TChainBreakReason;
  /** The first row that fails (null when rows after the last one are missing). */
  rowId: string | null;
  seq: number;
  action: string | null;
  createdAt: string | null;
  message: string;
};

export type TChainReport = { orgId: string; rows: number; intact: boolean; firstBreak: TChainBreak | null };

type TBrokenRow = {
  id: string;
  seq: number;
  action: string;
  created_at: Date;
  content_ok: boolean;
  link_ok: boolean;
  seq_ok: boolean;
};

const MESSAGES: Record<TChainBreakReason, (seq: number) => string> = {
  content_altered: (seq) => `Row #${seq} was changed after it was written: its content no longer matches its hash.`,
  link_broken: (seq) => `Row #${seq} does not link to the row before it: that row was changed or replaced.`,
  rows_missing: (seq) => `Rows before #${seq} are missing: the numbering jumps.`,
  tail_missing: (seq) => `Rows after #${seq} are missing: the chain head records more rows than the table holds.`,
};

function breakOf(reason: TChainBreakReason, seq: number, row?: TBrokenRow): TChainBreak {
  return {
    reason,
    rowId: row?.id ?? null,
    seq,
    action: row?.action ?? null,
    createdAt: row ? row.created_at.toISOString() : null,
    message: MESSAGES[reason](seq),
  };
}

export async function verifyAuditChain(orgId: string): Promise<TChainReport> {
  const prisma = await db();
  const broken = await prisma.$queryRaw<TBrokenRow[]>`
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
  const [stats] = await prisma.$queryRaw<{ rows: number; last_seq: number | null; last_hash: string | null }[]>`
    SELECT count(*)::int AS rows,
           max(seq) AS last_seq,
           (SELECT hash FROM audit_logs WHERE org_id = ${orgId}::uuid ORDER BY seq DESC LIMIT 1) AS last_hash
    FROM audit_logs WHERE org_id = ${orgId}::uuid`;
  const head = await prisma.auditChainHead.findUnique({ where: { orgId } });
  const rows = stats?.rows ?? 0;

  const first = broken[0];
  let firstBreak: TChainBreak | null = null;
  if (first) {
    // A gap in the numbering explains a broken link too: report the cause.
    const reason: TChainBreakReason = !first.seq_ok ? "rows_missing" : !first.content_ok ? "content_altered" : "link_broken";
    firstBreak = breakOf(reason, first.seq, first);
  } else if ((head?.seq ?? 0) !== (stats?.last_seq ?? 0) || (head?.hash ?? "") !== (stats?.last_hash ?? "")) {
    // The head row is written with every insert: rows it counts beyond the last one were deleted.
    firstBreak = breakOf("tail_missing", stats?.last_seq ?? 0);
  }
  return { orgId, rows, intact: firstBreak === null, firstBreak };
}

/** Every organization's chain (the CLI). */
export async function verifyAllAuditChains(): Promise<(TChainReport & { orgName: string })[]> {
  const prisma = await db();
  const orgs = await prisma.organization.findMany({ select: { id: true, name: true }, orderBy: { createdAt: "asc" } });
  const reports = [];
  for (const org of orgs) reports.push({ ...(await verifyAuditChain(org.id)), orgName: org.name });
  return reports;
}
