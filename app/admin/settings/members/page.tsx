import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { InviteMemberForm } from "@/components/settings/invite-member-form";
import { MemberActions } from "@/components/settings/member-actions";
import { RevokeInviteButton } from "@/components/settings/revoke-invite-button";
import { INVITE_LIFETIME_DAYS, listPendingInvites } from "@/lib/accounts/service/invites";
import { listMembers } from "@/lib/accounts/service/members";
import { requireOperator } from "@/lib/auth/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "Members" };

const muted = "text-zinc-600 dark:text-zinc-400";

export default async function MembersPage() {
  const operator = await requireOperator();
  const isAdmin = operator.role === "admin";
  const [members, invites] = await Promise.all([listMembers(operator.orgId), isAdmin ? listPendingInvites(operator.orgId) : []]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Members</h1>
        <p className={`mt-1 text-sm ${muted}`}>Admins change connections and members; viewers can only look.</p>
      </div>
      <Card>
        <ul aria-label="Members" className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
          {members.map((m) => (
            <li key={m.userId} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 py-3">
              <div className="min-w-0">
                <p className="font-medium break-all">
                  {m.email}
                  {m.userId === operator.userId && <span className={`font-normal ${muted}`}> (you)</span>}
                </p>
                <p className={muted}>
                  {m.name && <>{m.name} · </>}
                  <span data-testid="member-role">{m.role}</span> · last sign-in <RelativeTime iso={m.lastSignInAt?.toISOString()} /> · joined{" "}
                  <RelativeTime iso={m.createdAt.toISOString()} />
                </p>
              </div>
              {isAdmin && <MemberActions userId={m.userId} email={m.email} role={m.role} isSelf={m.userId === operator.userId} />}
            </li>
          ))}
        </ul>
      </Card>
      {isAdmin && (
        <>
          <Card
            title="Invite a member"
            description={`Creates a one-time link, valid for ${INVITE_LIFETIME_DAYS} days, that the new member opens to choose their password.`}
          >
            <InviteMemberForm />
          </Card>
          <Card title="Open invites" description="Links not used yet. Revoking one makes it stop working.">
            {invites.length === 0 ? (
              <p className={`text-sm ${muted}`}>No open invites.</p>
            ) : (
              <ul aria-label="Open invites" className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
                {invites.map((i) => (
                  <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <span>
                      <span className="font-medium break-all">{i.email}</span>
                      <span className={muted}>
                        {" "}
                        · {i.role} · expires <RelativeTime iso={i.expiresAt.toISOString()} />
                      </span>
                    </span>
                    <RevokeInviteButton inviteId={i.id} email={i.email} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
