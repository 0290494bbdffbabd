import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { AddMemberForm } from "@/components/settings/add-member-form";
import { listMembers } from "@/lib/accounts/service/members";
import { requireOperator } from "@/lib/auth/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "Members" };

export default async function MembersPage() {
  const operator = await requireOperator();
  const members = await listMembers(operator.orgId);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Members</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Admins change connections; viewers can only look.</p>
      </div>
      <Card>
        <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
          {members.map((m) => (
            <li key={m.userId} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <span className="font-medium">{m.email}</span>
                {m.name && <span className="text-zinc-500 dark:text-zinc-400"> · {m.name}</span>}
              </span>
              <span className="text-zinc-500 dark:text-zinc-400">
                {m.role} · joined <RelativeTime iso={m.createdAt.toISOString()} />
              </span>
            </li>
          ))}
        </ul>
      </Card>
      {operator.role === "admin" && (
        <Card title="Add a member" description="Creates an account in your organization with an initial password.">
          <AddMemberForm />
        </Card>
      )}
    </div>
  );
}
