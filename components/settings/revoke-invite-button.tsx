"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { revokeInviteAction } from "@/app/admin/settings/members/actions";
import { Button } from "@/components/ui/button";

export function RevokeInviteButton({ inviteId, email }: { inviteId: string; email: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  async function onClick() {
    setPending(true);
    const result = await revokeInviteAction({ inviteId });
    setPending(false);
    if (!result.ok) return void toast.error(result.message);
    toast.success(`The invite link for ${email} no longer works.`);
    router.refresh();
  }
  return (
    <Button variant="secondary" size="sm" onClick={onClick} disabled={pending} aria-label={`Revoke the invite for ${email}`}>
      Revoke
    </Button>
  );
}
