"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { disconnectAction } from "@/app/admin/settings/integrations/actions";

/** Disconnect as the table row and the danger zone both offer it: call, toast, refresh. */
export function useDisconnect(props: { uuid: string; label: string; secretsUnreadable?: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);

  async function disconnect() {
    setPending(true);
    // Unreadable secrets cannot be kept: the operator sees that on the page and disconnects anyway.
    const result = await disconnectAction({ uuid: props.uuid, discardUnreadable: props.secretsUnreadable });
    setPending(false);
    if (!result.ok) return void toast.error(result.error.message);
    toast.success(`Disconnected ${props.label}.`);
    // Best effort: the tokens are gone here either way; say when the provider may still consider them valid.
    if (result.data.revocation === "failed") toast.warning("The provider could not be reached to revoke the token; revoke the app's access in the provider's account settings if needed.");
    router.refresh();
  }

  return { disconnect, pending };
}
