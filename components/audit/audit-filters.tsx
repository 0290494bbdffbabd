import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { TConnectionOption } from "@/lib/audit/service/connection-history";
import { AUDIT_ACTIONS } from "@/lib/audit/types";
import { getProvider } from "@/lib/integrations/providers/registry";

function optionLabel(o: TConnectionOption): string {
  return `${getProvider(o.provider)?.name ?? o.provider} · ${o.name}${o.removed ? " (removed)" : ""}`;
}

/** A plain GET form: filters live in the URL, so a filtered view can be shared and reloaded. */
export function AuditFilters(props: { action?: string; target?: string; connections: TConnectionOption[] }) {
  return (
    // Keyed by the filters: after "Clear" (a client-side navigation) the selects show the new values, not the old defaults.
    <form key={`${props.action ?? ""}|${props.target ?? ""}`} method="get" className="mt-6 flex flex-wrap items-end gap-3">
      <div className="min-w-0 max-sm:w-full">
        <label htmlFor="audit-action" className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">Action</label>
        <select id="audit-action" name="action" defaultValue={props.action ?? ""} className={inputClass}>
          <option value="">All actions</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>{a}</option>
          ))}
        </select>
      </div>
      <div className="min-w-0 max-sm:w-full">
        <label htmlFor="audit-connection" className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">Connection</label>
        <select id="audit-connection" name="target" defaultValue={props.target ?? ""} className={inputClass}>
          <option value="">All connections</option>
          {props.connections.map((c) => (
            <option key={c.uuid} value={c.uuid}>{optionLabel(c)}</option>
          ))}
        </select>
      </div>
      <button type="submit" className={buttonClass("secondary")}>Filter</button>
      {(props.action || props.target) && <Link href="/admin/audit" className="text-sm underline">Clear</Link>}
    </form>
  );
}
