"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { removeConnectionAction } from "@/app/admin/settings/integrations/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/** Confirmation that names what depends on the connection before it is deleted. */
export function RemoveConnectionDialog(props: { open: boolean; onClose: () => void; uuid: string; label: string; usedBy: string[] }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);

  async function onConfirm() {
    setPending(true);
    const result = await removeConnectionAction({ uuid: props.uuid });
    setPending(false);
    if (!result.ok) return void toast.error(result.error.message);
    toast.success(`Removed ${props.label}.`);
    props.onClose();
    router.push("/admin/settings/integrations");
    router.refresh();
  }

  return (
    <Dialog open={props.open} onClose={props.onClose} title={`Remove ${props.label}?`} labelledBy={`remove-title-${props.uuid}`}>
      <div className="space-y-3 text-sm">
        <p>The connection and its stored credentials are deleted. This cannot be undone.</p>
        {props.usedBy.length > 0 ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            Used by: <strong>{props.usedBy.join(", ")}</strong>. Anything pinned to this connection will fail until it is pointed at another one.
          </p>
        ) : (
          <p className="text-zinc-600 dark:text-zinc-400">No module declares that it uses this provider. Consumers pinned to this connection&apos;s id will fail.</p>
        )}
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={props.onClose}>
            Cancel
          </Button>
          <Button variant="danger" onClick={onConfirm} disabled={pending}>
            {pending ? "Removing…" : "Remove connection"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
