"use client";

import { toast } from "sonner";
import { Button } from "@/components/ui/button";

export function SetupInstructions(props: { providerName: string; steps: string[]; docsUrl: string | null; redirectUri: string | null }) {
  async function copy() {
    if (!props.redirectUri) return;
    await navigator.clipboard.writeText(props.redirectUri).then(
      () => toast.success("Redirect URI copied."),
      () => toast.error("Could not copy; select the text and copy it by hand."),
    );
  }
  return (
    <details className="rounded-md border border-zinc-200 bg-zinc-50 p-3 text-sm dark:border-zinc-800 dark:bg-zinc-900/60">
      <summary className="cursor-pointer font-medium">How to get these credentials from {props.providerName}</summary>
      {props.steps.length > 0 && (
        <ol className="mt-2 list-decimal space-y-1 pl-5 text-zinc-700 dark:text-zinc-300">
          {props.steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
      )}
      {props.redirectUri && (
        <div className="mt-3">
          <p className="text-xs text-zinc-600 dark:text-zinc-400">Register this exact redirect URI with the provider:</p>
          <div className="mt-1 flex items-center gap-2">
            <code data-testid="redirect-uri" className="rounded bg-white px-2 py-1 break-all dark:bg-zinc-800">
              {props.redirectUri}
            </code>
            <Button variant="secondary" size="sm" onClick={copy}>
              Copy
            </Button>
          </div>
        </div>
      )}
      {props.docsUrl && (
        <a href={props.docsUrl} target="_blank" rel="noreferrer noopener" className="mt-3 inline-block text-indigo-600 dark:text-indigo-400 underline">
          {props.providerName} documentation
        </a>
      )}
    </details>
  );
}
