import type { TConnectionStatus } from "@/lib/integrations/connection-value";

const STYLES: Record<TConnectionStatus, { label: string; className: string }> = {
  connected: { label: "Connected", className: "bg-green-100 text-green-800 dark:bg-green-900/50 dark:text-green-300" },
  configured: { label: "Not tested", className: "bg-zinc-200 text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200" },
  disconnected: { label: "Disconnected", className: "bg-zinc-100 text-zinc-600 ring-1 ring-zinc-300 ring-inset dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-600" },
  error: { label: "Error", className: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300" },
};

export function StatusBadge({ status }: { status: TConnectionStatus }) {
  const s = STYLES[status];
  return (
    <span data-status={status} className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${s.className}`}>
      {s.label}
    </span>
  );
}
