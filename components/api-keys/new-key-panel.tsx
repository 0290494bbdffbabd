"use client";

import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";
import { curlList, curlTool, mcpConfig, mcpUrl } from "@/lib/admin-api/snippets";
import type { TApiKeyScope } from "@/lib/api-keys/schemas";

/** The new key, shown this once, with Copy and ready-to-paste examples that already carry it. */
export function NewKeyPanel(props: { created: { key: string; name: string; scope: TApiKeyScope }; baseUrl: string; onDone: () => void }) {
  const { key, name, scope } = props.created;
  const base = props.baseUrl;
  return (
    <section aria-labelledby="new-key-title" className="space-y-4">
      <div className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
        <h3 id="new-key-title" className="font-semibold">Copy the key “{name}” now</h3>
        <p>This is the only time it is shown: only a hash is stored. If you lose it, revoke it and create another.</p>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="new-key-value" className="sr-only">New API key</label>
        <input id="new-key-value" readOnly value={key} className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-800" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={key} label="Copy key" size="md" />
      </div>
      {scope === "admin" ? (
        <CodeBlock title="List integrations with curl" code={curlList(base, key)} copyLabel="Copy curl example" />
      ) : (
        <CodeBlock title="List connections with curl" code={curlTool(base, key, "list_connections")} copyLabel="Copy curl example" />
      )}
      <CodeBlock title="MCP client configuration" code={mcpConfig(base, key)} copyLabel="Copy MCP configuration" />
      <CodeBlock title="MCP URL (for clients that take only a URL)" code={mcpUrl(base, key)} copyLabel="Copy MCP URL" />
      <Button onClick={props.onDone}>Done, I stored it</Button>
    </section>
  );
}
