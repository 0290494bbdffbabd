"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { rotateKeysAction } from "@/app/admin/settings/security/actions";
import { Button } from "@/components/ui/button";

export function RotateKeysButton({ label }: { label: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  async function onClick() {
    setPending(true);
    const result = await rotateKeysAction();
    setPending(false);
    if (!result.ok) return void toast.error(result.message);
    toast.success(`Re-encrypted ${result.rotated} connection secret${result.rotated === 1 ? "" : "s"} with key version ${result.keyVersion}.`);
    router.refresh();
  }
  return (
    <Button onClick={onClick} disabled={pending}>
      {pending ? "Rotating…" : label}
    </Button>
  );
}
