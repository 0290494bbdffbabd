import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { AcceptInviteForm } from "@/components/auth/accept-invite-form";
import { ZOneTimeToken } from "@/lib/accounts/schemas";
import { describeInvite } from "@/lib/accounts/service/accept-invite";

export const dynamic = "force-dynamic";
export const metadata = { title: "Accept invite" };

export default async function InvitePage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const token = ZOneTimeToken.safeParse((await searchParams).token);
  const invite = token.success ? await describeInvite(token.data) : null;
  if (!token.success || !invite) {
    return (
      <AuthCard title="This invite link does not work" subtitle="It was already used, replaced by a newer one, revoked, or it expired.">
        <p className="text-sm">
          Ask an admin of your organization for a new link. Already have an account?{" "}
          <Link href="/login" className="text-indigo-700 underline dark:text-indigo-400">
            Sign in
          </Link>
          .
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={`Join ${invite.orgName}`} subtitle={`You are invited as ${invite.role === "admin" ? "an admin" : "a viewer"}. Choose your password to finish.`}>
      <AcceptInviteForm token={token.data} email={invite.email} />
    </AuthCard>
  );
}
