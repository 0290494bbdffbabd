import { redirect } from "next/navigation";
import { AdminNav } from "@/components/layout/admin-nav";
import { KeyBanner } from "@/components/layout/key-banner";
import { hasAnyUser } from "@/lib/accounts/service/setup";
import { currentOperator } from "@/lib/auth/session";
import { activityPingSeconds } from "@/lib/auth/session-policy";
import { SessionActivity } from "@/components/auth/session-activity";
import { generatedKeyLocation, keyRing } from "@/lib/integrations/crypto/key-ring";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  // Signed in implies set up: the "any user yet?" question costs a query only for visitors.
  const operator = await currentOperator();
  if (!operator) redirect((await hasAnyUser()) ? "/login" : "/setup");
  return (
    <div className="min-h-screen md:flex">
      <SessionActivity pingSeconds={activityPingSeconds()} />
      <AdminNav orgName={operator.orgName} email={operator.email} role={operator.role} />
      {/* relative + overflow-x-clip: nothing on a page (a wide table, an absolutely
          positioned screen-reader label) can make the whole document pan sideways on a phone. */}
      <div className="relative min-w-0 flex-1 overflow-x-clip">
        {keyRing().source === "generated" && <KeyBanner keyFile={generatedKeyLocation()} />}
        <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
      </div>
    </div>
  );
}
