"use client";

import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { toast } from "sonner";
import { saveSetupAction } from "@/app/admin/settings/integrations/actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import type { SetupField } from "@/lib/integrations/providers/types";
import { destinationNotes } from "./destination-notes";
import { setupFormSchema } from "./setup-form-schema";
import { TestConnectionButton, TestResultPanel, useConnectionTest } from "./test-connection";

/**
 * The provider's setup fields, generated from the registry. Secret fields are
 * write-only: a stored secret shows "•••• set" and a Replace control; its value
 * never reaches the browser. Submitting an empty secret keeps the stored one;
 * an optional stored secret can also be removed.
 */
export function SetupForm(props: {
  uuid: string;
  fields: SetupField[];
  values: Record<string, string>;
  secretsSet: string[];
  /** The stored secrets cannot be decrypted: every one is entered again (an empty optional one is removed). */
  secretsUnreadable?: boolean;
}) {
  const stored = props.secretsUnreadable ? [] : props.secretsSet;
  const router = useRouter();
  const [replacing, setReplacing] = useState<Set<string>>(new Set());
  const [clearing, setClearing] = useState<Set<string>>(new Set());
  const isStored = (f: SetupField) => f.secret && stored.includes(f.key) && !replacing.has(f.key);
  const toggleClearing = (key: string) => {
    const next = new Set(clearing);
    if (!next.delete(key)) next.add(key);
    setClearing(next);
  };
  const schema = useMemo(
    () => setupFormSchema(props.fields, new Set(props.fields.filter(isStored).map((f) => f.key))),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [props.fields, props.secretsSet, props.secretsUnreadable, replacing],
  );
  const defaults = Object.fromEntries(props.fields.map((f) => [f.key, f.secret ? "" : (props.values[f.key] ?? "")]));
  const form = useForm<Record<string, string>>({ resolver: zodResolver(schema), defaultValues: defaults, mode: "onTouched" });
  const { errors, isSubmitting } = form.formState;
  const tester = useConnectionTest(props.uuid);
  const kept = new Set(stored.filter((k) => !clearing.has(k)));
  const current = useWatch({ control: form.control });
  const notes = destinationNotes({ fields: props.fields, initial: props.values, current, kept, clearing });

  const onSubmit = form.handleSubmit(async (values) => {
    const unreadableLeftEmpty = props.secretsUnreadable ? props.secretsSet.filter((k) => !(values[k] ?? "").trim()) : [];
    const result = await saveSetupAction({ uuid: props.uuid, attrs: values, clear: [...clearing, ...unreadableLeftEmpty] });
    if (!result.ok) {
      // A changed destination wants stored secrets typed again: open their inputs.
      if (result.error.code === "secret_required") setReplacing(new Set([...replacing, ...Object.keys(result.error.fields ?? {})]));
      for (const [key, message] of Object.entries(result.error.fields ?? {})) form.setError(key, { message });
      toast.error(result.error.message);
      return;
    }
    toast.success("Settings saved.");
    setReplacing(new Set());
    setClearing(new Set());
    form.reset(Object.fromEntries(props.fields.map((f) => [f.key, f.secret ? "" : (result.data.setup[f.key] ?? "")])));
    router.refresh();
    // Saving runs the test of the saved credentials (nothing to test while still disconnected).
    if (result.data.status !== "disconnected") void tester.testSaved();
  });

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {props.fields.map((f) => {
        const id = `field-${f.key}`;
        const error = errors[f.key]?.message;
        const note = notes.byDestination[f.key] ?? notes.bySecret[f.key];
        const described = [error ? `${id}-error` : f.help ? `${id}-help` : "", note ? `${id}-destination` : ""].filter(Boolean).join(" ") || undefined;
        if (isStored(f)) {
          return (
            <Field key={f.key} id={id} label={f.label} required={f.required} help={f.help} error={error}>
              <div className="flex flex-wrap items-center gap-3">
                {clearing.has(f.key) ? (
                  <span id={id} className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
                    Removed when you save
                  </span>
                ) : (
                  <span id={id} data-testid={`secret-set-${f.key}`} className="rounded-md bg-zinc-100 px-3 py-2 font-mono text-sm dark:bg-zinc-800">
                    •••• set
                  </span>
                )}
                {!clearing.has(f.key) && (
                  <Button variant="secondary" size="sm" onClick={() => setReplacing(new Set(replacing).add(f.key))} aria-label={`Replace ${f.label}`}>
                    Replace
                  </Button>
                )}
                {!f.required && (
                  <Button variant="ghost" size="sm" onClick={() => toggleClearing(f.key)} aria-label={`${clearing.has(f.key) ? "Keep" : "Remove"} ${f.label}`}>
                    {clearing.has(f.key) ? "Keep" : "Remove"}
                  </Button>
                )}
              </div>
              <DestinationNote id={`${id}-destination`} text={note} />
            </Field>
          );
        }
        const common = {
          id,
          "aria-invalid": Boolean(error),
          "aria-describedby": described,
          placeholder: f.placeholder,
          className: inputClass,
          ...form.register(f.key),
        };
        return (
          <Field key={f.key} id={id} label={f.label} required={f.required} help={f.help} error={error}>
            {f.type === "select" ? (
              <select {...common}>
                <option value="">Choose…</option>
                {f.options?.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : f.type === "textarea" ? (
              <textarea rows={f.secret ? 6 : 3} spellCheck={false} autoComplete="off" {...common} className={`${inputClass} font-mono`} />
            ) : (
              <input type={f.secret || f.type === "password" ? "password" : f.type === "number" ? "number" : "text"} autoComplete={f.secret ? "new-password" : "off"} {...common} />
            )}
            <DestinationNote id={`${id}-destination`} text={note} />
            {f.secret && stored.includes(f.key) && (
              <button
                type="button"
                className="text-xs text-indigo-600 dark:text-indigo-400 underline"
                onClick={() => {
                  const next = new Set(replacing);
                  next.delete(f.key);
                  setReplacing(next);
                  form.setValue(f.key, "");
                }}
              >
                Keep the stored value
              </button>
            )}
          </Field>
        );
      })}
      <div className="flex gap-2 pt-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save"}
        </Button>
        <TestConnectionButton tester={tester} form={form} clear={clearing} />
      </div>
      <TestResultPanel tester={tester} />
    </form>
  );
}

/** Why a stored secret will have to be typed again (see destination-notes.ts). */
function DestinationNote({ id, text }: { id: string; text?: string }) {
  if (!text) return null;
  return (
    <p id={id} data-testid={id} className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">
      {text}
    </p>
  );
}
