"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { testConnectionAction } from "@/app/admin/settings/integrations/test-actions";
import { Button } from "@/components/ui/button";

/** "Test" in a connection's row: tests the saved credentials, records the result, toasts it. */
export function TestRowButton(props: { uuid: string; label: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={pending}
      aria-label={`Test ${props.label}`}
      onClick={async () => {
        setPending(true);
        const r = await testConnectionAction({ uuid: props.uuid });
        setPending(false);
        if (!r.ok) return void toast.error(r.error.message);
        const message = `${props.label}: ${r.data.result.message}`;
        if (r.data.result.ok) toast.success(message);
        else toast.error(message);
        router.refresh();
      }}
    >
      {pending ? "Testing…" : "Test"}
    </Button>
  );
}
