import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { LoginForm } from "@/components/auth/login-form";
import { hasAnyUser } from "@/lib/accounts/service/setup";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { currentOperator } from "@/lib/auth/session";
import { zText } from "@/lib/validation/text";
import { optionalParam, parseSearchParams, type TRawSearchParams } from "@/lib/validation/search-params";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

const SEARCH_PARAMS = { callbackUrl: optionalParam(zText(2048, "The return address")) };

export default async function LoginPage({ searchParams }: { searchParams: Promise<TRawSearchParams> }) {
  if (!(await hasAnyUser())) redirect("/setup");
  if (await currentOperator()) redirect("/admin/settings/integrations");
  // A malformed or repeated callbackUrl falls back to the default, like an unsafe one.
  const { callbackUrl } = parseSearchParams(SEARCH_PARAMS, await searchParams).values;
  const target = safeRedirectPath(callbackUrl, "/admin");
  return (
    <AuthCard title="Sign in" subtitle="Manage your organization's integration credentials.">
      <LoginForm callbackUrl={target} />
    </AuthCard>
  );
}
