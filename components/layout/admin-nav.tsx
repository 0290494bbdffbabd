import Link from "next/link";
import { SignOutButton } from "./sign-out-button";

const LINKS = [
  { href: "/admin/settings/integrations", label: "Integrations" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/settings/members", label: "Members" },
  { href: "/admin/settings/security", label: "Encryption keys" },
  { href: "/admin/profile", label: "Your profile" },
];

export function AdminNav({ orgName, email, role }: { orgName: string; email: string; role: string }) {
  return (
    <aside className="border-b border-zinc-200 bg-white md:min-h-screen md:w-60 md:shrink-0 md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="px-5 py-4">
        <p className="text-xs font-semibold tracking-wide text-indigo-600 dark:text-indigo-400">SWITCHBOARD</p>
        <p className="mt-1 truncate text-sm font-medium" title={orgName}>
          {orgName}
        </p>
      </div>
      <nav aria-label="Main" className="flex gap-1 overflow-x-auto px-3 pb-3 md:flex-col">
        {LINKS.map((l) => (
          <Link key={l.href} href={l.href} className="rounded-md px-3 py-2 text-sm whitespace-nowrap text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
            {l.label}
          </Link>
        ))}
      </nav>
      <div className="hidden border-t border-zinc-200 px-5 py-4 md:block dark:border-zinc-800">
        <p className="truncate text-sm" title={email}>
          {email}
        </p>
        <p className="mb-2 text-xs text-zinc-500 dark:text-zinc-400">{role === "admin" ? "Admin" : "Viewer (read-only)"}</p>
        <SignOutButton />
      </div>
    </aside>
  );
}
