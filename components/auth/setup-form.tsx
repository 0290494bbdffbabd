"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { ZSetupInput, type TSetupInput } from "@/lib/accounts/schemas";
import { createFirstAdminAction } from "@/app/setup/actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";

export function SetupForm({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const form = useForm<TSetupInput>({ resolver: zodResolver(ZSetupInput), defaultValues: { token }, mode: "onTouched" });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(undefined);
    const result = await createFirstAdminAction(values);
    if (!result.ok) {
      for (const [field, message] of Object.entries(result.fields ?? {})) {
        if (field !== "token") form.setError(field as keyof TSetupInput, { message });
      }
      return setError(result.message);
    }
    const signedIn = await signIn("credentials", { email: values.email, password: values.password, redirect: false });
    router.replace(signedIn?.ok ? "/admin/settings/integrations" : "/login");
    router.refresh();
  });

  const fields: { key: Exclude<keyof TSetupInput, "token">; label: string; type: string; autoComplete: string; help?: string }[] = [
    { key: "orgName", label: "Organization name", type: "text", autoComplete: "organization" },
    { key: "name", label: "Your name", type: "text", autoComplete: "name" },
    { key: "email", label: "Email", type: "email", autoComplete: "email" },
    { key: "password", label: "Password", type: "password", autoComplete: "new-password", help: "At least 12 characters." },
  ];
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {fields.map((f) => (
        <Field key={f.key} id={f.key} label={f.label} required={f.key !== "name"} help={f.help} error={errors[f.key]?.message}>
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
        {isSubmitting ? "Creating…" : "Create admin account"}
      </Button>
    </form>
  );
}
