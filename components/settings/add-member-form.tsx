"use client";

import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { addMemberAction } from "@/app/admin/settings/members/actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { ZAddMemberInput, type TAddMemberInput } from "@/lib/accounts/schemas";

export function AddMemberForm() {
  const router = useRouter();
  const form = useForm<TAddMemberInput>({ resolver: zodResolver(ZAddMemberInput), defaultValues: { role: "viewer" }, mode: "onTouched" });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await addMemberAction(values);
    if (!result.ok) {
      for (const [k, m] of Object.entries(result.fields ?? {})) form.setError(k as keyof TAddMemberInput, { message: m });
      return void toast.error(result.message);
    }
    toast.success(`Added ${values.email}.`);
    form.reset({ role: "viewer", email: "", name: "", password: "" });
    router.refresh();
  });
  return (
    <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2" noValidate>
      <Field id="member-email" label="Email" required error={errors.email?.message}>
        <input id="member-email" type="email" className={inputClass} aria-invalid={Boolean(errors.email)} {...form.register("email")} />
      </Field>
      <Field id="member-name" label="Name" error={errors.name?.message}>
        <input id="member-name" className={inputClass} {...form.register("name")} />
      </Field>
      <Field id="member-password" label="Initial password" required help="At least 12 characters. Share it privately." error={errors.password?.message}>
        <input id="member-password" type="password" autoComplete="new-password" className={inputClass} aria-invalid={Boolean(errors.password)} {...form.register("password")} />
      </Field>
      <Field id="member-role" label="Role" required error={errors.role?.message}>
        <select id="member-role" className={inputClass} {...form.register("role")}>
          <option value="viewer">Viewer — read only</option>
          <option value="admin">Admin — can change connections</option>
        </select>
      </Field>
      <div className="sm:col-span-2">
        <Button type="submit" disabled={isSubmitting}>{isSubmitting ? "Adding…" : "Add member"}</Button>
      </div>
    </form>
  );
}
