"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { disconnectAction } from "@/app/admin/settings/integrations/actions";
import { Button } from "@/components/ui/button";
import { RemoveConnectionDialog } from "./remove-connection-dialog";

export function DangerZone(props: { uuid: string; label: string; isOAuth: boolean; usedBy: string[] }) {
  const router = useRouter();
  const [removing, setRemoving] = useState(false);
  const [pending, setPending] = useState(false);

  async function onDisconnect() {
    setPending(true);
    const result = await disconnectAction({ uuid: props.uuid });
    setPending(false);
    if (!result.ok) return void toast.error(result.error.message);
    toast.success(`Disconnected ${props.label}.`);
    router.refresh();
  }

  return (
    <section aria-labelledby="danger-title" className="rounded-lg border border-red-200 p-5 dark:border-red-900">
      <h2 id="danger-title" className="text-base font-semibold text-red-700 dark:text-red-400">
        Danger zone
      </h2>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3 border-b border-red-100 pb-4 dark:border-red-950">
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          <strong>Disconnect</strong> —{" "}
          {props.isOAuth ? "drops the access and refresh tokens; the client id and secret stay." : "deletes the stored key; the other settings stay."}
        </p>
        <Button variant="secondary" onClick={onDisconnect} disabled={pending}>
          Disconnect
        </Button>
      </div>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          <strong>Remove</strong> — deletes this connection and everything stored for it.
        </p>
        <Button variant="danger" onClick={() => setRemoving(true)}>
          Remove connection
        </Button>
      </div>
      <RemoveConnectionDialog open={removing} onClose={() => setRemoving(false)} uuid={props.uuid} label={props.label} usedBy={props.usedBy} />
    </section>
  );
}
