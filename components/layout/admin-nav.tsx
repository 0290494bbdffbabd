"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { AppMark } from "./app-mark";
import { SignOutButton } from "./sign-out-button";

const LINKS = [
  { href: "/admin/settings/integrations", label: "Integrations" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/settings/members", label: "Members" },
  { href: "/admin/settings/security", label: "Encryption keys" },
  { href: "/admin/settings/api-keys", label: "API keys" },
  { href: "/admin/api-docs", label: "API docs" },
  { href: "/admin/profile", label: "Your profile" },
];

/**
 * The admin navigation: a sidebar from 768 px; below that a top bar whose
 * "Menu" button opens the links and the account box (sign out included).
 * The menu closes on navigation and on Escape.
 */
export function AdminNav({ orgName, email, role }: { orgName: string; email: string; role: string }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const [openedAt, setOpenedAt] = useState(pathname);
  const button = useRef<HTMLButtonElement>(null);
  // A link followed from the open menu lands on a new page: show it, not the menu.
  if (open && openedAt !== pathname) setOpen(false);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  const toggle = () => {
    setOpenedAt(pathname);
    setOpen(!open);
  };

  return (
    <aside className="border-b border-zinc-200 bg-white md:min-h-screen md:w-60 md:shrink-0 md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-center justify-between gap-3 px-5 py-3 md:block md:py-4">
        <div className="min-w-0">
          <AppMark />
          <p className="mt-1 truncate text-sm font-medium" title={orgName}>
            {orgName}
          </p>
        </div>
        <button
          ref={button}
          type="button"
          onClick={toggle}
          aria-expanded={open}
          aria-controls="admin-menu"
          className="inline-flex shrink-0 items-center gap-2 rounded-md border border-zinc-300 px-3 py-2 text-sm font-medium text-zinc-700 hover:bg-zinc-100 md:hidden dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
            {open ? <path d="M5 5l10 10M15 5 5 15" /> : <path d="M3 6h14M3 10h14M3 14h14" />}
          </svg>
          Menu
        </button>
      </div>
      <div id="admin-menu" className={`${open ? "block" : "hidden"} border-t border-zinc-200 md:block md:border-t-0 dark:border-zinc-800`}>
        <nav aria-label="Main" className="flex flex-col gap-1 px-3 py-3 md:pt-0">
          {LINKS.map((l) => {
            const current = pathname === l.href || pathname.startsWith(`${l.href}/`);
            return (
              <Link
                key={l.href}
                href={l.href}
                aria-current={current ? "page" : undefined}
                className={`rounded-md px-3 py-2 text-sm text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800 ${current ? "bg-zinc-100 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100" : ""}`}
              >
                {l.label}
              </Link>
            );
          })}
        </nav>
        <div className="border-t border-zinc-200 px-5 py-4 dark:border-zinc-800">
          <p className="truncate text-sm" title={email}>
            {email}
          </p>
          <p className="mb-2 text-xs text-zinc-500 dark:text-zinc-400">{role === "admin" ? "Admin" : "Viewer (read-only)"}</p>
          <SignOutButton />
        </div>
      </div>
    </aside>
  );
}
