// `npm run audit:verify`: recomputes every organization's audit hash chain
// and reports the first broken link of each (exit code 1 when any is broken).
// Against the embedded database, use the audit page's Verify button instead
// while the app runs (only one process may open it).
import { closeDb } from "@/lib/db";
import { verifyAllAuditChains } from "@/lib/audit/service/verify-chain";

async function main(): Promise<number> {
  const reports = await verifyAllAuditChains();
  let broken = 0;
  for (const r of reports) {
    if (r.intact) {
      console.log(`ok      ${r.orgName} (${r.orgId}): ${r.rows} row(s), chain intact`);
      continue;
    }
    broken += 1;
    const b = r.firstBreak!;
    const where = b.rowId ? `row ${b.rowId} (#${b.seq}, ${b.action}, ${b.createdAt})` : `after row #${b.seq}`;
    console.log(`BROKEN  ${r.orgName} (${r.orgId}): first broken link at ${where}: ${b.message}`);
  }
  console.log(reports.length === 0 ? "No organizations yet." : `${reports.length} organization(s), ${broken} broken chain(s).`);
  return broken > 0 ? 1 : 0;
}

main()
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (err: Error) => {
    console.error(`audit:verify failed: ${err.message}`);
    await closeDb().catch(() => undefined);
    process.exit(2);
  });
