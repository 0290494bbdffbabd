"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { revokeApiKeyAction } from "@/app/admin/settings/api-keys/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/** Revoke, after a confirmation that names the key. */
export function RevokeKeyButton({ id, label }: { id: string; label: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);

  async function onConfirm() {
    setPending(true);
    const result = await revokeApiKeyAction({ id });
    setPending(false);
    if (!result.ok) return void toast.error(result.message);
    toast.success(`Revoked ${label}.`);
    setOpen(false);
    router.refresh();
  }

  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)} aria-label={`Revoke ${label}`}>
        Revoke
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Revoke ${label}?`} labelledBy={`revoke-title-${id}`}>
        <div className="space-y-3 text-sm">
          <p>Every call made with this key is refused from now on. This cannot be undone; create a new key to restore access.</p>
          <div className="flex justify-end gap-2 pt-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>Cancel</Button>
            <Button variant="danger" onClick={onConfirm} disabled={pending}>{pending ? "Revoking…" : "Revoke key"}</Button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
