"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { acceptInviteAction } from "@/app/invite/actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { ZAcceptInviteInput, type TAcceptInviteInput } from "@/lib/accounts/schemas";

type TFields = Exclude<keyof TAcceptInviteInput, "token">;
const FIELDS: { key: TFields; label: string; type: string; autoComplete: string; required: boolean; help?: string }[] = [
  { key: "name", label: "Your name", type: "text", autoComplete: "name", required: false },
  { key: "password", label: "Password", type: "password", autoComplete: "new-password", required: true, help: "At least 12 characters." },
  { key: "confirmPassword", label: "Password again", type: "password", autoComplete: "new-password", required: true },
];

export function AcceptInviteForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const form = useForm<TAcceptInviteInput>({ resolver: zodResolver(ZAcceptInviteInput), defaultValues: { token }, mode: "onTouched" });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(undefined);
    const result = await acceptInviteAction(values);
    if (!result.ok) {
      for (const [field, message] of Object.entries(result.fields ?? {})) if (field !== "token") form.setError(field as TFields, { message });
      return setError(result.message);
    }
    const signedIn = await signIn("credentials", { email: result.email, password: values.password, redirect: false });
    router.replace(signedIn?.ok ? "/admin" : "/login");
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <Field id="invite-account-email" label="Email">
        <input id="invite-account-email" type="email" autoComplete="username" value={email} readOnly className={`${inputClass} bg-zinc-50 dark:bg-zinc-800`} />
      </Field>
      {FIELDS.map((f) => (
        <Field key={f.key} id={f.key} label={f.label} required={f.required} help={f.help} error={errors[f.key]?.message}>
          <input
            id={f.key}
            type={f.type}
            autoComplete={f.autoComplete}
            aria-invalid={Boolean(errors[f.key])}
            aria-describedby={errors[f.key] ? `${f.key}-error` : f.help ? `${f.key}-help` : undefined}
            className={inputClass}
            {...form.register(f.key)}
          />
        </Field>
      ))}
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {error}
        </p>
      )}
      <Button type="submit" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? "Joining…" : "Set password and join"}
      </Button>
    </form>
  );
}
