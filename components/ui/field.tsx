import type { ReactNode } from "react";

export const inputClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900";

/** Label, control, help text and error for one form control, wired for screen readers. */
export function Field(props: {
  id: string;
  label: string;
  required?: boolean;
  help?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1">
      {/* The required marker sits outside the label so the control's accessible name is just the label. */}
      <div className="flex items-baseline gap-0.5">
        <label htmlFor={props.id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
          {props.label}
        </label>
        {props.required && (
          <span className="text-sm text-red-600" aria-hidden="true" title="required">
            *
          </span>
        )}
      </div>
      {props.children}
      {props.help && !props.error && (
        <p id={`${props.id}-help`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {props.help}
        </p>
      )}
      {props.error && (
        <p id={`${props.id}-error`} role="alert" className="text-xs text-red-600">
          {props.error}
        </p>
      )}
    </div>
  );
}
