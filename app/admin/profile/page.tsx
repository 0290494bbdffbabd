import { Card } from "@/components/ui/card";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { SignOutEverywhere } from "@/components/auth/sign-out-everywhere";
import { requireOperator } from "@/lib/auth/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "Your profile" };

export default async function ProfilePage() {
  const operator = await requireOperator();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Your profile</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Your account, your password and your sessions.</p>
      </div>
      <Card title="Account">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="text-zinc-600 dark:text-zinc-400">Email</dt>
          <dd className="font-medium">{operator.email}</dd>
          <dt className="text-zinc-600 dark:text-zinc-400">Name</dt>
          <dd>{operator.name ?? "—"}</dd>
          <dt className="text-zinc-600 dark:text-zinc-400">Organization</dt>
          <dd>{operator.orgName}</dd>
          <dt className="text-zinc-600 dark:text-zinc-400">Role</dt>
          <dd>{operator.role === "admin" ? "Admin" : "Viewer (read-only)"}</dd>
        </dl>
      </Card>
      <Card title="Change password" description="Changing it signs out every session of yours on other browsers and devices; this one continues with the new password.">
        <ChangePasswordForm email={operator.email} />
      </Card>
      <Card title="Sign out everywhere" description="Ends every session of yours, on every browser and device, this one included. Use it after signing in on a computer that is not yours.">
        <SignOutEverywhere />
      </Card>
    </div>
  );
}
