"use client";

import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { z } from "zod";
import { createApiKeyAction, type TCreateKeyResult } from "@/app/admin/settings/api-keys/actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { API_KEY_SCOPE_LABELS, API_KEY_SCOPES, ZCreateApiKeyInput } from "@/lib/api-keys/schemas";
import { NewKeyPanel } from "./new-key-panel";

type TIn = z.input<typeof ZCreateApiKeyInput>;
type TOut = z.output<typeof ZCreateApiKeyInput>;
export type TConnectionChoice = { uuid: string; label: string };

const EXPIRY_LABELS: Record<string, string> = { never: "Never", "7": "In 7 days", "30": "In 30 days", "90": "In 90 days", "365": "In a year" };
const DEFAULTS: TIn = { name: "", scope: "admin", expiresIn: "never", allowedConnections: [] };

export function CreateApiKeyForm({ connections, baseUrl }: { connections: TConnectionChoice[]; baseUrl: string }) {
  const router = useRouter();
  const [created, setCreated] = useState<Extract<TCreateKeyResult, { ok: true }> | null>(null);
  const form = useForm<TIn, unknown, TOut>({ resolver: zodResolver(ZCreateApiKeyInput), defaultValues: DEFAULTS, mode: "onTouched" });
  const { errors, isSubmitting } = form.formState;
  const scope = useWatch({ control: form.control, name: "scope" });

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await createApiKeyAction(values);
    if (!result.ok) {
      for (const [k, m] of Object.entries(result.fields ?? {})) form.setError(k as keyof TIn, { message: m });
      return void toast.error(result.message);
    }
    setCreated(result);
    form.reset(DEFAULTS);
    router.refresh();
  });

  if (created) return <NewKeyPanel created={created} baseUrl={baseUrl} onDone={() => setCreated(null)} />;

  return (
    <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2" noValidate>
      <Field id="key-name" label="Name" required help="Who or what uses it, e.g. “provisioning script” or “support agent”." error={errors.name?.message}>
        <input id="key-name" className={inputClass} maxLength={64} aria-invalid={Boolean(errors.name)} {...form.register("name")} />
      </Field>
      <Field id="key-expiry" label="Expires" error={errors.expiresIn?.message}>
        <select id="key-expiry" className={inputClass} {...form.register("expiresIn")}>
          {Object.entries(EXPIRY_LABELS).map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
      </Field>
      <fieldset className="sm:col-span-2">
        <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Scope</legend>
        <div className="mt-2 space-y-2">
          {API_KEY_SCOPES.map((s) => (
            <label key={s} className="flex items-start gap-2 text-sm">
              <input type="radio" value={s} className="mt-1" {...form.register("scope")} />
              <span>{API_KEY_SCOPE_LABELS[s]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {scope === "consumer" && (
        <fieldset className="sm:col-span-2" aria-describedby={errors.allowedConnections ? "key-connections-error" : undefined}>
          <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Connections this consumer may read</legend>
          {connections.length === 0 ? (
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Add a connection first: a consumer key reaches only the connections you pick.</p>
          ) : (
            <div className="mt-2 grid gap-1 sm:grid-cols-2">
              {connections.map((c) => (
                <label key={c.uuid} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" value={c.uuid} {...form.register("allowedConnections")} />
                  <span className="break-all">{c.label}</span>
                </label>
              ))}
            </div>
          )}
          {errors.allowedConnections && (
            <p id="key-connections-error" role="alert" className="mt-1 text-xs text-red-600">{errors.allowedConnections.message}</p>
          )}
        </fieldset>
      )}
      <div className="sm:col-span-2">
        <Button type="submit" disabled={isSubmitting}>{isSubmitting ? "Creating…" : "Create key"}</Button>
      </div>
    </form>
  );
}
