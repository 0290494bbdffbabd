"use client";

import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { changePasswordAction } from "@/app/admin/profile/actions";
import { withActivityReportsPaused } from "@/components/auth/activity-reports";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { ZChangePasswordInput, type TChangePasswordInput } from "@/lib/accounts/schemas";

const FIELDS: { key: keyof TChangePasswordInput; label: string; autoComplete: string; help?: string }[] = [
  { key: "currentPassword", label: "Current password", autoComplete: "current-password" },
  { key: "newPassword", label: "New password", autoComplete: "new-password", help: "At least 12 characters." },
  { key: "confirmPassword", label: "New password again", autoComplete: "new-password" },
];

export function ChangePasswordForm({ email }: { email: string }) {
  const router = useRouter();
  const form = useForm<TChangePasswordInput>({ resolver: zodResolver(ZChangePasswordInput), mode: "onTouched" });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    // Every session ends with the change, this one too: a new one starts with the new password.
    const { result, signedIn } = await withActivityReportsPaused(async () => {
      const result = await changePasswordAction(values);
      return { result, signedIn: result.ok ? await signIn("credentials", { email, password: values.newPassword, redirect: false }) : undefined };
    });
    if (!result.ok) {
      for (const [k, m] of Object.entries(result.fields ?? {})) form.setError(k as keyof TChangePasswordInput, { message: m });
      return void toast.error(result.message);
    }
    form.reset({ currentPassword: "", newPassword: "", confirmPassword: "" });
    if (!signedIn?.ok) return router.push("/login");
    toast.success("Password changed. Your other sessions were signed out.");
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} className="max-w-sm space-y-4" noValidate>
      {FIELDS.map((f) => (
        <Field key={f.key} id={f.key} label={f.label} required help={f.help} error={errors[f.key]?.message}>
          <input
            id={f.key}
            type="password"
            autoComplete={f.autoComplete}
            aria-invalid={Boolean(errors[f.key])}
            aria-describedby={errors[f.key] ? `${f.key}-error` : f.help ? `${f.key}-help` : undefined}
            className={inputClass}
            {...form.register(f.key)}
          />
        </Field>
      ))}
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
