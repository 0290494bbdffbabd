import { CopyButton } from "./copy-button";

/** A snippet to paste somewhere else, with its own Copy button. */
export function CodeBlock({ title, code, copyLabel }: { title: string; code: string; copyLabel?: string }) {
  return (
    <figure className="min-w-0">
      <figcaption className="mb-1 flex items-center justify-between gap-2 text-xs font-medium text-zinc-600 dark:text-zinc-400">
        <span>{title}</span>
        <CopyButton text={code} label={copyLabel ?? `Copy ${title}`} />
      </figcaption>
      {/* Focusable: a long line scrolls sideways, and keyboard users must be able to scroll it too (WCAG 2.1.1). */}
      <pre tabIndex={0} className="overflow-x-auto rounded-md bg-zinc-100 p-3 text-xs focus-visible:outline-2 focus-visible:outline-offset-2 dark:bg-zinc-800">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
