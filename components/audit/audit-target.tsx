import Link from "next/link";
import type { TTargetView } from "@/lib/audit/service/describe-targets";

/** A row's target: provider and name (linked while the connection exists) beside its id. */
export function AuditTarget({ view }: { view: TTargetView | undefined }) {
  if (!view || view.kind === "none") return <>—</>;
  if (view.kind === "other") return <span className="font-mono text-xs break-all">{view.text}</span>;
  if (view.kind === "api_key") {
    return (
      <span>
        API key {view.label}
        <span className="block font-mono text-xs break-all text-zinc-500 dark:text-zinc-400">{view.id}</span>
      </span>
    );
  }
  const label = `${view.providerName} · ${view.name}`;
  return (
    <span>
      {view.href ? (
        <Link href={view.href} className="text-indigo-700 underline dark:text-indigo-300">
          {label}
        </Link>
      ) : (
        <>
          {label} <span className="text-xs text-zinc-500 dark:text-zinc-400">(removed)</span>
        </>
      )}
      <span className="block font-mono text-xs break-all text-zinc-500 dark:text-zinc-400">{view.id}</span>
    </span>
  );
}
