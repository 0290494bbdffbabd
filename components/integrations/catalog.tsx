"use client";

import { useMemo, useState } from "react";
import { inputClass } from "@/components/ui/field";
import { AUTH_TYPES, CAPABILITIES } from "@/lib/integrations/providers/types";
import { AddConnectionDialog } from "./add-connection-dialog";
import { ProviderIcon } from "./provider-icon";
import { AUTH_TYPE_LABELS, type TProviderSummary } from "./types";

/** The provider catalog: search by name or description, filter by capability and auth type. */
export function Catalog({ providers, canEdit }: { providers: TProviderSummary[]; canEdit: boolean }) {
  const [query, setQuery] = useState("");
  const [capability, setCapability] = useState("");
  const [authType, setAuthType] = useState("");
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return providers.filter(
      (p) =>
        (!q || p.name.toLowerCase().includes(q) || p.key.includes(q) || p.description.toLowerCase().includes(q)) &&
        (!capability || p.capabilities.includes(capability as never)) &&
        (!authType || p.authType === authType),
    );
  }, [providers, query, capability, authType]);

  return (
    <section aria-labelledby="catalog-title" className="mt-10">
      <h2 id="catalog-title" className="text-lg font-semibold">
        Provider catalog
      </h2>
      <div className="mt-3 grid gap-3 sm:grid-cols-3">
        <input type="search" aria-label="Search providers" placeholder="Search providers…" value={query} onChange={(e) => setQuery(e.target.value)} className={inputClass} />
        <select aria-label="Filter by capability" value={capability} onChange={(e) => setCapability(e.target.value)} className={inputClass}>
          <option value="">All capabilities</option>
          {CAPABILITIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select aria-label="Filter by auth type" value={authType} onChange={(e) => setAuthType(e.target.value)} className={inputClass}>
          <option value="">All auth types</option>
          {AUTH_TYPES.map((a) => (
            <option key={a} value={a}>
              {AUTH_TYPE_LABELS[a]}
            </option>
          ))}
        </select>
      </div>
      <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite">
        {shown.length} of {providers.length} providers
      </p>
      <ul className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {shown.map((p) => (
          <li key={p.key} data-provider={p.key} className="flex flex-col rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
            <div className="flex items-start gap-3">
              <ProviderIcon provider={p} />
              <div className="min-w-0 flex-1">
                <h3 className="font-medium">{p.name}</h3>
                <p className="text-xs text-zinc-500 dark:text-zinc-400">
                  <span className="rounded bg-indigo-50 px-1.5 py-0.5 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">{AUTH_TYPE_LABELS[p.authType]}</span>
                  {!p.enabled && <span className="ml-1.5 rounded bg-zinc-200 px-1.5 py-0.5 text-zinc-800 dark:bg-zinc-700 dark:text-zinc-100">Disabled</span>}
                </p>
              </div>
            </div>
            <p className="mt-2 line-clamp-2 flex-1 text-sm text-zinc-600 dark:text-zinc-400">{p.description}</p>
            <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
              {p.connectionCount} connection{p.connectionCount === 1 ? "" : "s"}
              {p.usedBy.length > 0 && <> · Used by {p.usedBy.join(", ")}</>}
            </p>
            {canEdit && p.enabled && (
              <div className="mt-3">
                <AddConnectionDialog providers={[p]} defaultProvider={p.key} triggerLabel={`Add ${p.name}`} triggerVariant="secondary" />
              </div>
            )}
          </li>
        ))}
      </ul>
      {shown.length === 0 && <p className="mt-4 text-sm text-zinc-500 dark:text-zinc-400">No provider matches. Clear the search or filters.</p>}
    </section>
  );
}
