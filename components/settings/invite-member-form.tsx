"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { inviteMemberAction } from "@/app/admin/settings/members/actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { ZInviteInput, type TInviteInput } from "@/lib/accounts/schemas";

type TShown = { email: string; link: string; expiresAt: string };

export function InviteMemberForm() {
  const router = useRouter();
  const [shown, setShown] = useState<TShown>();
  const form = useForm<TInviteInput>({ resolver: zodResolver(ZInviteInput), defaultValues: { role: "viewer" }, mode: "onTouched" });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await inviteMemberAction(values);
    if (!result.ok) {
      for (const [k, m] of Object.entries(result.fields ?? {})) form.setError(k as keyof TInviteInput, { message: m });
      return void toast.error(result.message);
    }
    setShown({ email: values.email, link: new URL(result.link, window.location.origin).toString(), expiresAt: result.expiresAt });
    form.reset({ role: "viewer", email: "" });
    router.refresh();
  });

  if (shown) return <InviteLink {...shown} onDone={() => setShown(undefined)} />;
  return (
    <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2" noValidate>
      <Field id="invite-email" label="Email" required error={errors.email?.message}>
        <input id="invite-email" type="email" className={inputClass} aria-invalid={Boolean(errors.email)} {...form.register("email")} />
      </Field>
      <Field id="invite-role" label="Role" required error={errors.role?.message}>
        <select id="invite-role" className={inputClass} {...form.register("role")}>
          <option value="viewer">Viewer — read only</option>
          <option value="admin">Admin — can change connections and members</option>
        </select>
      </Field>
      <div className="sm:col-span-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Creating link…" : "Create invite link"}
        </Button>
      </div>
    </form>
  );
}

/** The link, exactly once: only its hash is stored. */
function InviteLink({ email, link, expiresAt, onDone }: TShown & { onDone: () => void }) {
  async function copy() {
    await navigator.clipboard.writeText(link).then(
      () => toast.success("Invite link copied."),
      () => toast.error("Could not copy; select the link and copy it by hand."),
    );
  }
  return (
    <div role="region" aria-label="Invite link" className="space-y-3 text-sm">
      <p>
        Send this link to <strong>{email}</strong> privately. Whoever opens it chooses the password for that account. It works once, until{" "}
        <time dateTime={expiresAt}>{new Date(expiresAt).toUTCString()}</time>.
      </p>
      <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900 dark:bg-amber-950 dark:text-amber-200">
        This is the only time the link is shown. If it is lost, create a new invite (the old link then stops working).
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="invite-link" className="sr-only">
          Invite link for {email}
        </label>
        <input id="invite-link" readOnly value={link} className={`${inputClass} min-w-0 flex-1 font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
        <Button variant="secondary" onClick={copy}>
          Copy
        </Button>
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
