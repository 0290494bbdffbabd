"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { RemoveConnectionDialog } from "./remove-connection-dialog";
import { useDisconnect } from "./use-disconnect";

export function DangerZone(props: { uuid: string; label: string; isOAuth: boolean; usedBy: string[]; secretsUnreadable?: boolean }) {
  const [removing, setRemoving] = useState(false);
  const { disconnect: onDisconnect, pending } = useDisconnect(props);

  return (
    <section aria-labelledby="danger-title" className="rounded-lg border border-red-200 p-5 dark:border-red-900">
      <h2 id="danger-title" className="text-base font-semibold text-red-700 dark:text-red-400">
        Danger zone
      </h2>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3 border-b border-red-100 pb-4 dark:border-red-950">
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          <strong>Disconnect</strong> —{" "}
          {props.secretsUnreadable
            ? "drops every stored secret, since none can be read; the other settings stay."
            : props.isOAuth
              ? "drops the access and refresh tokens; the client id and secret stay."
              : "deletes the stored key; the other settings stay."}
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
