import Link from "next/link";

const TABS = [
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/audit/api-calls", label: "API calls" },
];

/** The audit section's two views: changes (audit log) and API traffic (metering). */
export function AuditTabs({ current }: { current: string }) {
  return (
    <nav aria-label="Audit views" className="mt-4 flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
      {TABS.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          aria-current={t.href === current ? "page" : undefined}
          className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm text-zinc-600 hover:text-zinc-900 aria-[current=page]:border-indigo-600 aria-[current=page]:font-medium aria-[current=page]:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100 dark:aria-[current=page]:border-indigo-400 dark:aria-[current=page]:text-zinc-100"
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
