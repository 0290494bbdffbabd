"use client";

import Link from "next/link";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { generateKeyAction, reencryptKeysAction, type TSkippedSecret } from "@/app/admin/settings/security/actions";
import { Button } from "@/components/ui/button";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The platform owner's two key actions, kept apart so a failed re-encryption
 * never adds a key: "Generate new key" (embedded default only) and
 * "Re-encrypt to newest key" (every organization's secrets).
 */
export function KeyRingActions({ canGenerate }: { canGenerate: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState<"generate" | "reencrypt" | null>(null);
  const [skipped, setSkipped] = useState<TSkippedSecret[] | null>(null);

  async function generate() {
    setPending("generate");
    const result = await generateKeyAction();
    setPending(null);
    if (!result.ok) return void toast.error(result.message);
    toast.success(`Generated key version ${result.keyVersion}. New secrets use it now; re-encrypt to move the existing ones.`);
    router.refresh();
  }

  async function reencrypt() {
    setPending("reencrypt");
    const result = await reencryptKeysAction();
    setPending(null);
    if (!result.ok) return void toast.error(result.message);
    toast.success(`Re-encrypted ${plural(result.rotated, "connection secret")} with key version ${result.keyVersion}.`);
    setSkipped(result.skipped);
    router.refresh();
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap gap-2">
        {canGenerate && (
          <Button variant="secondary" onClick={generate} disabled={pending !== null}>
            {pending === "generate" ? "Generating…" : "Generate new key"}
          </Button>
        )}
        <Button onClick={reencrypt} disabled={pending !== null}>
          {pending === "reencrypt" ? "Re-encrypting…" : "Re-encrypt to newest key"}
        </Button>
      </div>
      {skipped && skipped.length > 0 && (
        <div role="status" data-testid="skipped-secrets" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          <p className="font-medium">
            {plural(skipped.length, "connection")} could not be read and stayed on older keys. Enter their secrets again (or remove them), then
            re-encrypt once more.
          </p>
          <ul className="mt-2 space-y-1 font-mono text-xs">
            {skipped.map((s) => (
              <li key={s.uuid}>
                {s.inYourOrganization ? (
                  <Link href={`/admin/settings/integrations/${s.uuid}`} className="underline">
                    {s.uuid}
                  </Link>
                ) : (
                  <span>{s.uuid} (another organization)</span>
                )}{" "}
                — {s.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
