import { CodeBlock } from "@/components/ui/code-block";
import { jsonSchemaOf } from "@/lib/admin-api/json-schema";
import { curlMcpToolCall, curlTool } from "@/lib/admin-api/snippets";
import { toolExampleArgs } from "@/lib/admin-api/tool-examples";
import type { TTool } from "@/lib/admin-api/tools";

type TProp = { type?: string; description?: string; anyOf?: unknown[]; enum?: unknown[] };

/**
 * One tool: who may call it, what it does, its parameters (from the same zod
 * schema the server parses with), and a copyable call over Power Automate and
 * over MCP with example arguments generated from that schema.
 */
export function ToolReference({ tool, base, apiKey }: { tool: TTool; base: string; apiKey: string }) {
  const args = toolExampleArgs(tool);
  const schema = jsonSchemaOf(tool.input, { target: "draft-2020-12", io: "input" }) as { properties?: Record<string, TProp>; required?: string[] };
  const params = Object.entries(schema.properties ?? {});
  return (
    <section aria-labelledby={`tool-${tool.name}`} className="rounded-md border border-zinc-200 p-4 dark:border-zinc-800">
      <h4 id={`tool-${tool.name}`} className="flex flex-wrap items-center gap-2">
        <code className="font-mono text-sm font-semibold break-all">{tool.name}</code>
        <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
          {tool.access === "admin" ? "admin keys" : "any key"}
        </span>
      </h4>
      <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">{tool.description}</p>
      {params.length === 0 ? (
        <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">No parameters.</p>
      ) : (
        <ul className="mt-2 space-y-1 text-xs">
          {params.map(([name, p]) => (
            <li key={name}>
              <code className="font-mono font-semibold">{name}</code>
              {schema.required?.includes(name) ? " (required)" : " (optional)"}
              {tool.sensitive.includes(name) ? " · sensitive: never echoed, <redacted> in telemetry" : ""}
              {p.description ? ` — ${p.description}` : ""}
            </li>
          ))}
        </ul>
      )}
      <div className="mt-3 grid gap-3">
        <CodeBlock title={`${tool.name} (Power Automate)`} code={curlTool(base, apiKey, tool.name, args)} />
        <CodeBlock title={`${tool.name} (MCP tools/call)`} code={curlMcpToolCall(base, apiKey, tool.name, args)} />
      </div>
    </section>
  );
}
