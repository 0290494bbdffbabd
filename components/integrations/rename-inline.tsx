"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { renameConnectionAction } from "@/app/admin/settings/integrations/actions";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { checkConnectionName, CONNECTION_NAME_HINT } from "@/lib/integrations/connection-name";

/** Title with an inline rename; the URL (the uuid) does not change. */
export function RenameInline(props: { uuid: string; providerName: string; name: string; canEdit: boolean }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(props.name);
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const localError = checkConnectionName(draft);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (localError) return setError(localError === "empty_name" ? "Enter a name." : CONNECTION_NAME_HINT);
    setPending(true);
    const result = await renameConnectionAction({ uuid: props.uuid, name: draft });
    setPending(false);
    if (!result.ok) return setError(result.error.message);
    toast.success(`Renamed to “${result.data.name}”.`);
    setEditing(false);
    router.refresh();
  }

  if (!editing) {
    return (
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">
          {props.providerName} <span className="text-zinc-500 dark:text-zinc-400">·</span> <span data-testid="connection-name">{props.name}</span>
        </h1>
        {props.canEdit && (
          <Button variant="ghost" size="sm" onClick={() => (setDraft(props.name), setError(undefined), setEditing(true))}>
            Rename
          </Button>
        )}
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-start gap-2" noValidate>
      <div>
        <label htmlFor="rename-input" className="sr-only">
          Connection name
        </label>
        <input
          id="rename-input"
          autoFocus
          value={draft}
          onChange={(e) => (setDraft(e.target.value), setError(undefined))}
          onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
          aria-invalid={Boolean(error || localError)}
          aria-describedby="rename-hint"
          className={`${inputClass} w-64`}
        />
        <p id="rename-hint" role={error ? "alert" : undefined} className={`mt-1 text-xs ${error || localError ? "text-red-600" : "text-zinc-500 dark:text-zinc-400"}`}>
          {error ?? (localError ? CONNECTION_NAME_HINT : "Consumers pinned to this connection keep working.")}
        </p>
      </div>
      <Button type="submit" disabled={pending || Boolean(localError)}>
        {pending ? "Saving…" : "Save name"}
      </Button>
      <Button variant="secondary" onClick={() => setEditing(false)}>
        Cancel
      </Button>
    </form>
  );
}
