"use client";

import Link from "next/link";
import { useState } from "react";
import { buttonClass, Button } from "@/components/ui/button";
import { RemoveConnectionDialog } from "./remove-connection-dialog";
import { TestRowButton } from "./test-connection-row";
import { useDisconnect } from "./use-disconnect";

/** Row actions of the connections table. */
export function RowActions(props: { uuid: string; label: string; usedBy: string[]; canEdit: boolean; secretsUnreadable?: boolean }) {
  const [removing, setRemoving] = useState(false);
  const { disconnect: onDisconnect, pending } = useDisconnect(props);

  return (
    <div className="flex flex-wrap justify-end gap-1.5">
      <Link href={`/admin/settings/integrations/${props.uuid}`} className={buttonClass("secondary", "sm")} aria-label={`${props.canEdit ? "Configure" : "View"} ${props.label}`}>
        {props.canEdit ? "Configure" : "View"}
      </Link>
      {props.canEdit && (
        <>
          <TestRowButton uuid={props.uuid} label={props.label} />
          <Button variant="ghost" size="sm" onClick={onDisconnect} disabled={pending} aria-label={`Disconnect ${props.label}`}>
            Disconnect
          </Button>
          <Button variant="ghost" size="sm" className="text-red-700 dark:text-red-400" onClick={() => setRemoving(true)} aria-label={`Remove ${props.label}`}>
            Remove
          </Button>
          <RemoveConnectionDialog open={removing} onClose={() => setRemoving(false)} uuid={props.uuid} label={props.label} usedBy={props.usedBy} />
        </>
      )}
    </div>
  );
}
