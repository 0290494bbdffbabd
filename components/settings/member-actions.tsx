"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { changeRoleAction, removeMemberAction } from "@/app/admin/settings/members/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { inputClass } from "@/components/ui/field";
import type { TRole } from "@/lib/accounts/schemas";

type TProps = { userId: string; email: string; role: TRole; isSelf: boolean };

/** Change role and Remove for one member, each behind a confirmation. */
export function MemberActions(props: TProps) {
  const [open, setOpen] = useState<"role" | "remove" | null>(null);
  return (
    <div className="flex gap-2">
      <Button variant="secondary" size="sm" onClick={() => setOpen("role")} aria-label={`Change role of ${props.email}`}>
        Change role
      </Button>
      <Button variant="secondary" size="sm" onClick={() => setOpen("remove")} aria-label={`Remove ${props.email}`}>
        Remove
      </Button>
      <ChangeRoleDialog {...props} open={open === "role"} onClose={() => setOpen(null)} />
      <RemoveDialog {...props} open={open === "remove"} onClose={() => setOpen(null)} />
    </div>
  );
}

function ChangeRoleDialog(props: TProps & { open: boolean; onClose: () => void }) {
  const router = useRouter();
  const [role, setRole] = useState<TRole>(props.role);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  async function onConfirm() {
    setPending(true);
    setError(undefined);
    const result = await changeRoleAction({ userId: props.userId, role });
    setPending(false);
    // Said inside the dialog: it is modal, so nothing outside it can be reached while it is open.
    if (!result.ok) return setError(result.message);
    toast.success(role === props.role ? `${props.email} stays ${role}.` : `${props.email} is now ${role === "admin" ? "an admin" : "a viewer"}.`);
    props.onClose();
    router.refresh();
  }
  const selectId = `role-${props.userId}`;
  return (
    <Dialog open={props.open} onClose={props.onClose} title={`Change the role of ${props.email}`} labelledBy={`role-title-${props.userId}`}>
      <div className="space-y-3 text-sm">
        <label htmlFor={selectId} className="block font-medium">
          Role
        </label>
        <select id={selectId} className={inputClass} value={role} onChange={(e) => setRole(e.target.value as TRole)}>
          <option value="viewer">Viewer — read only</option>
          <option value="admin">Admin — can change connections and members</option>
        </select>
        <p className="text-zinc-600 dark:text-zinc-400">
          {props.isSelf ? "You will be signed out and sign in again with the new role." : "They are signed out everywhere and sign in again with the new role."}
        </p>
        <DialogError message={error} />
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={props.onClose}>
            Cancel
          </Button>
          <Button onClick={onConfirm} disabled={pending}>
            {pending ? "Saving…" : "Save role"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

function RemoveDialog(props: TProps & { open: boolean; onClose: () => void }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  async function onConfirm() {
    setPending(true);
    setError(undefined);
    const result = await removeMemberAction({ userId: props.userId });
    setPending(false);
    if (!result.ok) return setError(result.message);
    toast.success(`Removed ${props.email}.`);
    props.onClose();
    router.refresh();
  }
  return (
    <Dialog open={props.open} onClose={props.onClose} title={`Remove ${props.email}?`} labelledBy={`remove-member-title-${props.userId}`}>
      <div className="space-y-3 text-sm">
        <p>Their account is deleted and every session of theirs ends at once. To let them back in, invite them again.</p>
        <DialogError message={error} />
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={props.onClose}>
            Cancel
          </Button>
          <Button variant="danger" onClick={onConfirm} disabled={pending}>
            {pending ? "Removing…" : "Remove member"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

function DialogError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700 dark:bg-red-950 dark:text-red-300">
      {message}
    </p>
  );
}
