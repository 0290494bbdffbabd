import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { LoginForm } from "@/components/auth/login-form";
import { hasAnyUser } from "@/lib/accounts/service/setup";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { currentOperator } from "@/lib/auth/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[] }> }) {
  if (!(await hasAnyUser())) redirect("/setup");
  if (await currentOperator()) redirect("/admin/settings/integrations");
  const { callbackUrl } = await searchParams;
  const target = safeRedirectPath(typeof callbackUrl === "string" ? callbackUrl : undefined, "/admin");
  return (
    <AuthCard title="Sign in" subtitle="Manage your organization's integration credentials.">
      <LoginForm callbackUrl={target} />
    </AuthCard>
  );
}
