// `npm run keys:rotate`: re-encrypts every organization's connection secrets to
// the newest key in SWITCHBOARD_ENCRYPTION_KEYS while the app keeps serving.
// Run it after adding the new key to every instance's environment. Rows that
// cannot be read are skipped, listed and audited (exit code 2); an interrupted
// run continues where it stopped when run again. Against the embedded
// database use the admin UI instead (Encryption keys page): only one process
// may open it, and this command refuses with a clear message if the app runs.
import { closeDb } from "@/lib/db";
import { rotateEncryptionKeys } from "@/lib/integrations/service";
import { keyRing } from "@/lib/integrations/crypto/key-ring";

async function main() {
  const batchSize = Number(process.argv.find((a) => a.startsWith("--batch="))?.slice(8) ?? 200);
  const ring = keyRing();
  console.log(`Re-encrypting secrets to key version ${ring.current.version} (batches of ${batchSize})…`);
  const result = await rotateEncryptionKeys({
    actor: { type: "system", label: "keys:rotate" },
    batchSize,
    onBatch: (done) => console.log(`  ${done} re-encrypted`),
  });
  console.log(`Done: ${result.rotated} secret(s) now on key version ${result.keyVersion}.`);
  if (result.skipped.length > 0) {
    // Unreadable rows stay as they are (and are audited): an operator enters their secrets again, then runs this once more.
    console.log(`${result.skipped.length} connection(s) could not be read and stay on older keys:`);
    for (const s of result.skipped) console.log(`  ${s.uuid} (organization ${s.orgId}): ${s.reason}`);
    process.exitCode = 2;
  }
}

main()
  .then(() => closeDb())
  .catch(async (err: Error) => {
    console.error(`keys:rotate failed: ${err.message}`);
    await closeDb().catch(() => undefined);
    process.exit(1);
  });
