"use client";

import { useState } from "react";
import { signOutEverywhereAction } from "@/app/admin/profile/actions";
import { signOutAfterReports } from "@/components/auth/activity-reports";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

export function SignOutEverywhere() {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  async function onConfirm() {
    setPending(true);
    setError(undefined);
    const result = await signOutEverywhereAction();
    if (!result.ok) {
      setPending(false);
      return setError(result.message); // inside the modal dialog, where it can be read
    }
    await signOutAfterReports();
  }

  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Sign out everywhere
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Sign out everywhere?" labelledBy="sign-out-everywhere-title">
        <div className="space-y-3 text-sm">
          <p>Every session of yours ends at its next request: other browsers and devices, and this one. Sign in again to continue.</p>
          {error && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700 dark:bg-red-950 dark:text-red-300">
              {error}
            </p>
          )}
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
