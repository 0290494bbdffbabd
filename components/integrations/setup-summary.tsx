import type { SetupField } from "@/lib/integrations/providers/types";

/** Read-only view of the setup for viewers: values of plain fields, only "set / not set" for secrets. */
export function SetupSummary(props: { fields: SetupField[]; values: Record<string, string>; secretsSet: string[]; secretsUnreadable?: boolean }) {
  const { fields, values, secretsSet } = props;
  const setLabel = props.secretsUnreadable ? "unreadable" : "•••• set";
  return (
    <dl className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
      {fields.map((f) => (
        <div key={f.key} className="grid grid-cols-3 gap-4 py-2">
          <dt className="text-zinc-500 dark:text-zinc-400">{f.label}</dt>
          <dd className="col-span-2 break-all">
            {f.secret ? (secretsSet.includes(f.key) ? setLabel : "not set") : values[f.key] || <span className="text-zinc-400">—</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
