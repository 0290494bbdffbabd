"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { testConnectionAction } from "@/app/admin/settings/integrations/test-actions";
import { Button } from "@/components/ui/button";

/** "Test" in a connection's row (and on its page): tests the saved credentials, records the result, toasts it. */
export function TestRowButton(props: { uuid: string; label: string; text?: string; variant?: "ghost" | "secondary" }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant={props.variant ?? "ghost"}
      size="sm"
      disabled={pending}
      aria-label={props.text ? `${props.text}: ${props.label}` : `Test ${props.label}`}
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
      {pending ? "Testing…" : (props.text ?? "Test")}
    </Button>
  );
}
