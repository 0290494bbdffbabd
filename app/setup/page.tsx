import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SetupForm } from "@/components/auth/setup-form";
import { ZOneTimeToken } from "@/lib/accounts/schemas";
import { hasAnyUser } from "@/lib/accounts/service/setup";
import { isSetupTokenValid } from "@/lib/accounts/service/setup-token";

export const dynamic = "force-dynamic";
export const metadata = { title: "First-run setup" };

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  if (await hasAnyUser()) redirect("/login");
  const token = ZOneTimeToken.safeParse((await searchParams).token);
  if (!token.success || !(await isSetupTokenValid(token.data))) {
    return (
      <AuthCard title="Setup needs the link from the server" subtitle="Only the person who started Switchboard can create its first admin account.">
        <div className="space-y-3 text-sm">
          <p>
            When it starts without an admin, the server prints a one-time link, <code className="break-all">Open http://…/setup?token=…</code>, in its
            output. Open that link. The token is also kept in the file <code>setup-token</code> in the server&apos;s data directory.
          </p>
          <p className="text-zinc-600 dark:text-zinc-400">A link from an earlier start still works until the admin is created.</p>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Welcome to Switchboard" subtitle="Create your organization and its first admin account.">
      <SetupForm token={token.data} />
    </AuthCard>
  );
}
