import type { SetupField } from "@/lib/integrations/providers/types";

// What the setup form says, next to the fields, while an operator edits a
// field that decides where stored secrets are sent (the registry's
// `destinationFor`): the server will want those secrets typed again
// (`secret_required`), so the form says so before Save, and why.

export type TDestinationNotes = {
  /** Under a changed destination field: which stored secrets must be typed again. */
  byDestination: Record<string, string>;
  /** Beside a stored secret that must be typed again: which change asks for it. */
  bySecret: Record<string, string>;
};

export function destinationNotes(opts: {
  fields: SetupField[];
  initial: Record<string, string>;
  current: Record<string, string | undefined>;
  /** Secrets stored now that this save would keep (not replaced, not removed). */
  kept: Set<string>;
  /** Secret fields the operator chose to remove with this save. */
  clearing: Set<string>;
}): TDestinationNotes {
  const label = (key: string) => opts.fields.find((f) => f.key === key)?.label ?? key;
  const notes: TDestinationNotes = { byDestination: {}, bySecret: {} };
  const because: Record<string, string[]> = {};
  for (const f of opts.fields) {
    if (!f.destinationFor) continue;
    const now = opts.current[f.key] ?? "";
    // A secret destination (a connection string) changes when something is typed or it is removed.
    const changed = f.secret ? now.trim() !== "" || opts.clearing.has(f.key) : now.trim() !== (opts.initial[f.key] ?? "").trim();
    if (!changed) continue;
    const affected = f.destinationFor.filter((k) => opts.kept.has(k) && !(opts.current[k] ?? "").trim());
    if (affected.length === 0) continue;
    const names = affected.map(label).join(", ");
    notes.byDestination[f.key] =
      `Changing ${f.label} changes where the stored ${names} ${affected.length === 1 ? "is" : "are"} sent: type ${affected.length === 1 ? "it" : "them"} again before saving.`;
    for (const k of affected) (because[k] ??= []).push(f.label);
  }
  for (const [k, labels] of Object.entries(because)) {
    notes.bySecret[k] = `Type it again: ${labels.join(" and ")} changed where it is sent.`;
  }
  return notes;
}
