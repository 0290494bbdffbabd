/** The row's metadata as "key value" pairs (never secrets: the service writes names, ids and flags only). */
export function AuditDetails({ metadata }: { metadata: unknown }) {
  if (!metadata || typeof metadata !== "object") return <>—</>;
  // jsonb keeps keys in its own order (shortest first); alphabetical reads better and is stable.
  const entries = Object.entries(metadata as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <>—</>;
  return (
    <dl className="flex flex-wrap gap-x-3 gap-y-0.5">
      {entries.map(([key, value]) => (
        <div key={key} className="flex gap-1">
          <dt className="text-zinc-500 dark:text-zinc-400">{key}</dt>
          <dd className="font-mono">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
