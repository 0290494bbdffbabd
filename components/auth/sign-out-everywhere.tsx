"use client";

import { useState } from "react";
import { signOut } from "next-auth/react";
import { toast } from "sonner";
import { signOutEverywhereAction } from "@/app/admin/profile/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

export function SignOutEverywhere() {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);

  async function onConfirm() {
    setPending(true);
    const result = await signOutEverywhereAction();
    if (!result.ok) {
      setPending(false);
      return void toast.error(result.message);
    }
    await signOut({ callbackUrl: "/login" });
  }

  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Sign out everywhere
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Sign out everywhere?" labelledBy="sign-out-everywhere-title">
        <div className="space-y-3 text-sm">
          <p>Every session of yours ends at its next request: other browsers and devices, and this one. Sign in again to continue.</p>
          <div className="flex justify-end gap-2 pt-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button variant="danger" onClick={onConfirm} disabled={pending}>
              {pending ? "Signing out…" : "Sign out everywhere"}
            </Button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
