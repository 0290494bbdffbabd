"use client";

import { useState } from "react";
import { verifyAuditChainAction, type TVerifyResult } from "@/app/admin/audit/actions";
import { Button } from "@/components/ui/button";

/** "Verify chain": recomputes every entry's hash and names the first broken link. */
export function VerifyChain() {
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<TVerifyResult | null>(null);

  async function onVerify() {
    setPending(true);
    setResult(await verifyAuditChainAction());
    setPending(false);
  }

  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button variant="secondary" onClick={onVerify} disabled={pending}>
        {pending ? "Verifying…" : "Verify chain"}
      </Button>
      <p role="status" className="text-sm">
        {result && !result.ok && <span className="text-red-700 dark:text-red-400">{result.message}</span>}
        {result?.ok && result.report.intact && (
          <span className="text-green-800 dark:text-green-300">Chain intact: all {result.report.rows} entries match their hashes.</span>
        )}
        {result?.ok && result.report.firstBreak && (
          <span className="text-red-700 dark:text-red-400">
            Chain broken at entry #{result.report.firstBreak.seq}
            {result.report.firstBreak.rowId ? ` (${result.report.firstBreak.action}, id ${result.report.firstBreak.rowId})` : ""}:{" "}
            {result.report.firstBreak.message}
          </span>
        )}
      </p>
    </div>
  );
}
