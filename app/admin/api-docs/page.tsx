import Link from "next/link";
import { ToolReference } from "@/components/api-docs/tool-reference";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { API_ERROR_STATUS, ERROR_TEXT, type TApiErrorCode } from "@/lib/admin-api/errors";
import { publicBaseUrl } from "@/lib/http/public-url";
import { curlConsumerCredentials, curlConsumerProxy, curlList, curlRemove, curlSet, curlTool, KEY_PLACEHOLDER, mcpConfig, mcpUrl } from "@/lib/admin-api/snippets";
import { TOOLS } from "@/lib/admin-api/tools";
import { requireOperator } from "@/lib/auth/session";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";
export const metadata = { title: "API docs" };

const ENDPOINTS = [
  { method: "GET", path: "/api/admin/integrations", what: "The catalog joined with your organization's state (admin keys). Audited as list_integrations." },
  { method: "PUT", path: "/api/admin/integrations/{key}/credentials", what: "Set or rotate a credential: body {\"value\": …}. The provider's connection test runs on the new value first (OAuth client credentials are tested at Connect); a refusal answers 400 invalid_credentials and stores nothing. Answers {key, isConfigured, hasCredentials, updatedAt}." },
  { method: "DELETE", path: "/api/admin/integrations/{key}/credentials", what: "Deactivate; idempotent (200 whether or not credentials existed)." },
  { method: "POST", path: "/api/powerautomate/{tool}", what: "Any tool below as plain REST: the body is the tool's arguments." },
  { method: "POST", path: "/api/mcp", what: "MCP over Streamable HTTP; the key in the Authorization header." },
  { method: "POST", path: "/api/ai/{key}/mcp", what: "MCP for clients that take only a URL: the key in the path (never logged)." },
];

const CONSUMER_ENDPOINTS = [
  { method: "GET", path: "/api/v1/connections/{uuid}", what: "A connection's metadata and status: provider, name, auth type, status, last test, expiry. Never a secret." },
  { method: "POST", path: "/api/v1/connections/{uuid}/credentials", what: "Its credentials by field; an OAuth access token is refreshed first when about to expire (never the refresh token or client secret)." },
  { method: "POST", path: "/api/v1/connections/{uuid}/proxy", what: "Switchboard makes the call for you: body {method, path, query?, headers?, body?}; only the connection's own hosts." },
];

function EndpointList({ endpoints }: { endpoints: { method: string; path: string; what: string }[] }) {
  return (
    <ul className="space-y-2 text-sm">
      {endpoints.map((e) => (
        <li key={`${e.method} ${e.path}`}>
          <code className="font-mono text-xs font-semibold break-all">{e.method} {e.path}</code>
          <span className="block text-zinc-700 dark:text-zinc-300">{e.what}</span>
        </li>
      ))}
    </ul>
  );
}

export default async function ApiDocsPage() {
  const operator = await requireOperator();
  const base = publicBaseUrl();
  const k = KEY_PLACEHOLDER;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">API docs</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Configure {operator.orgName}&apos;s integrations from scripts, automation and AI agents. Every call needs an{" "}
          <Link href="/admin/settings/api-keys" className="underline">API key</Link>; the key decides the organization, so these examples act on{" "}
          {operator.orgName} once you set <code className="font-mono">{k}</code> to one of its keys. The machine-readable description is{" "}
          <a href="/api/openapi.json" className="underline">/api/openapi.json</a> (OpenAPI 3.1).
        </p>
      </div>

      <Card title="Authentication" description="Send the key as Authorization: Bearer <key> or x-api-key: <key>. A key in the query string is refused.">
        <ul className="list-disc space-y-1 pl-5 text-sm">
          <li><strong>admin</strong> keys call everything; <strong>user</strong> keys call the read-only tools; <strong>consumer</strong> keys call the read-only tools for the connections they were given.</li>
          <li>Each key may make {env().SWITCHBOARD_API_RATE_LIMIT_PER_MINUTE} calls a minute over all surfaces together; beyond that the answer is 429 with Retry-After.</li>
          <li>
            After {env().SWITCHBOARD_API_REFUSED_KEYS_PER_MINUTE} refused keys in a minute from one address, that address gets 429 with Retry-After, whatever
            key it sends, until the minute ends.
          </li>
          <li>Credential values go in and never come out: not in answers, logs, the audit log or the API calls list.</li>
        </ul>
      </Card>

      <Card title="REST endpoints">
        <EndpointList endpoints={ENDPOINTS} />
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          <code className="font-mono">{"{key}"}</code> is a provider key (its default connection) or <code className="font-mono">provider:name</code>. A provider
          whose only required field is a secret takes the secret as <code className="font-mono">value</code>; others take a JSON object of setup fields.
        </p>
        <div className="mt-4 grid gap-4">
          <CodeBlock title="List integrations" code={curlList(base, k)} />
          <CodeBlock title="Set or rotate a credential" code={curlSet(base, k)} />
          <CodeBlock title="Remove a credential" code={curlRemove(base, k)} />
          <CodeBlock title="Call a tool (Power Automate)" code={curlTool(base, k, "get_connection_status", { connection: "openai" })} />
        </div>
      </Card>

      <Card
        title="Consumer API"
        description="For services that use a connection: consumer keys only, and only the connections the key was given. Anything else answers the same 404."
      >
        <EndpointList endpoints={CONSUMER_ENDPOINTS} />
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          Each consumer key may make {env().SWITCHBOARD_CONSUMER_RATE_LIMIT_PER_MINUTE} calls a minute here. Every credentials read and proxied call is
          counted and shows in the audit log as one credentials_read entry per key, connection and minute, with the count.
        </p>
        <div className="mt-4 grid gap-4">
          <CodeBlock title="Read a connection's credentials" code={curlConsumerCredentials(base, k)} />
          <CodeBlock title="Make a call with a connection's credentials" code={curlConsumerProxy(base, k)} />
        </div>
      </Card>

      <Card
        title="MCP"
        description="Streamable HTTP, stateless, one JSON-RPC message per request (a batch is refused). Admin tools are listed for admin keys only; any other key calling one gets forbidden_admin_scope."
      >
        <div className="grid gap-4">
          <CodeBlock title="MCP client configuration" code={mcpConfig(base, k)} />
          <CodeBlock title="MCP URL with the key in the path" code={mcpUrl(base, k)} />
        </div>
        <h3 className="mt-6 text-sm font-semibold">Tools</h3>
        <div className="mt-2 grid gap-3">
          {TOOLS.map((t) => (
            <ToolReference key={t.name} tool={t} base={base} apiKey={k} />
          ))}
        </div>
      </Card>

      <Card title="Errors" description='Every error answers {"error": {"code": …, "message": …}}.'>
        <ul className="space-y-1 text-sm">
          {(Object.keys(API_ERROR_STATUS) as TApiErrorCode[]).map((code) => (
            <li key={code}>
              <code className="font-mono text-xs font-semibold">{API_ERROR_STATUS[code]} {code}</code> — {ERROR_TEXT[code]}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
