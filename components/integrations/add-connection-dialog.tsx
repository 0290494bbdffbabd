"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";
import { toast } from "sonner";
import { addConnectionAction } from "@/app/admin/settings/integrations/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { ZConnectionName } from "@/lib/integrations/connection-name";
import type { TProviderSummary } from "./types";

const ZAddForm = z.object({ provider: z.string().min(1, "Choose a provider."), name: ZConnectionName });
type TAddForm = z.infer<typeof ZAddForm>;

export function AddConnectionDialog(props: {
  providers: Pick<TProviderSummary, "key" | "name" | "enabled">[];
  defaultProvider?: string;
  triggerLabel?: string;
  triggerVariant?: "primary" | "secondary";
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const idSuffix = props.defaultProvider ?? "any";
  const form = useForm<TAddForm>({
    resolver: zodResolver(ZAddForm),
    mode: "onChange",
    defaultValues: { provider: props.defaultProvider ?? "", name: "default" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await addConnectionAction(values);
    if (!result.ok) {
      const field = result.error.code === "unknown_provider" || result.error.code === "provider_disabled" ? "provider" : "name";
      form.setError(field, { message: result.error.message });
      return;
    }
    const providerName = props.providers.find((p) => p.key === result.data.provider)?.name ?? result.data.provider;
    toast.success(`Added ${providerName} connection “${result.data.name}”.`);
    setOpen(false);
    router.push(`/admin/settings/integrations/${result.data.uuid}`);
  });

  return (
    <>
      <Button variant={props.triggerVariant ?? "primary"} size={props.defaultProvider ? "sm" : "md"} onClick={() => setOpen(true)}>
        {props.triggerLabel ?? "Add connection"}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Add connection" labelledBy={`add-title-${idSuffix}`}>
        <form onSubmit={onSubmit} className="space-y-4" noValidate>
          <Field id={`add-provider-${idSuffix}`} label="Provider" required error={errors.provider?.message}>
            <select id={`add-provider-${idSuffix}`} className={inputClass} aria-invalid={Boolean(errors.provider)} {...form.register("provider")}>
              <option value="">Choose a provider…</option>
              {props.providers.map((p) => (
                <option key={p.key} value={p.key} disabled={!p.enabled}>
                  {p.name}
                  {p.enabled ? "" : " (disabled)"}
                </option>
              ))}
            </select>
          </Field>
          <Field
            id={`add-name-${idSuffix}`}
            label="Connection name"
            required
            help="A label you choose, e.g. default, work or billing-eu. You can rename it later."
            error={errors.name?.message}
          >
            <input id={`add-name-${idSuffix}`} className={inputClass} autoComplete="off" aria-invalid={Boolean(errors.name)} {...form.register("name")} />
          </Field>
          <div className="flex justify-end gap-2 pt-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Adding…" : "Add and configure"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
