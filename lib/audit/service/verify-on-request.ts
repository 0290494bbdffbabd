import "server-only";
import { createLimiter } from "@/lib/rate-limit/service/limiter";
import { verifyAuditChain, type TChainReport } from "./verify-chain";

// The audit page's "Verify chain" reads an organization's whole audit table,
// so asking for it is counted per organization (shared by every instance
// through PostgreSQL) before the work starts. The CLI (npm run audit:verify)
// is not limited: it runs with database access anyway.

export const VERIFY_PER_MINUTE = 5;

const perOrg = createLimiter({ keyPrefix: "audit-verify:org", points: VERIFY_PER_MINUTE, durationSeconds: 60 });

export type TVerifyOnRequest = { ok: true; report: TChainReport } | { ok: false; code: "rate_limited"; message: string; retryAfterSeconds: number };

export async function verifyAuditChainOnRequest(orgId: string): Promise<TVerifyOnRequest> {
  const budget = await perOrg.consume(orgId);
  if (!budget.allowed) {
    const wait = budget.retryAfterSeconds;
    return { ok: false, code: "rate_limited", message: `The chain was verified ${VERIFY_PER_MINUTE} times in the last minute; try again in ${wait} s.`, retryAfterSeconds: wait };
  }
  return { ok: true, report: await verifyAuditChain(orgId) };
}
