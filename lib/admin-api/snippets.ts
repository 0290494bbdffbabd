// Ready-to-paste examples for the admin UI (the new-key panel and the API
// docs page). Client-safe: plain strings from a base URL and a key (or a
// placeholder such as $SWITCHBOARD_API_KEY).

export const KEY_PLACEHOLDER = "$SWITCHBOARD_API_KEY";

export function curlList(base: string, key: string): string {
  return `curl ${base}/api/admin/integrations \\\n  -H "Authorization: Bearer ${key}"`;
}

export function curlSet(base: string, key: string, integration = "openai"): string {
  return [
    `curl -X PUT ${base}/api/admin/integrations/${integration}/credentials \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"value": "your-new-key"}'`,
  ].join("\n");
}

export function curlRemove(base: string, key: string, integration = "openai"): string {
  return `curl -X DELETE ${base}/api/admin/integrations/${integration}/credentials \\\n  -H "Authorization: Bearer ${key}"`;
}

export function curlTool(base: string, key: string, tool: string, body: Record<string, unknown> = {}): string {
  return [
    `curl -X POST ${base}/api/powerautomate/${tool} \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify(body)}'`,
  ].join("\n");
}

/** An MCP client's server entry (Streamable HTTP with a header). */
export function mcpConfig(base: string, key: string): string {
  return JSON.stringify({ mcpServers: { switchboard: { type: "http", url: `${base}/api/mcp`, headers: { Authorization: `Bearer ${key}` } } } }, null, 2);
}

/** For MCP clients that take only a URL: the key travels in the path (never logged). */
export function mcpUrl(base: string, key: string): string {
  return `${base}/api/ai/${key}/mcp`;
}

export const UUID_PLACEHOLDER = "$CONNECTION_UUID";

/** The consumer API: a connection's credentials by uuid (consumer keys). */
export function curlConsumerCredentials(base: string, key: string, uuid = UUID_PLACEHOLDER): string {
  return `curl -X POST ${base}/api/v1/connections/${uuid}/credentials \\\n  -H "Authorization: Bearer ${key}"`;
}

/** The consumer API's proxy: Switchboard makes the call with the connection's credentials. */
export function curlConsumerProxy(base: string, key: string, uuid = UUID_PLACEHOLDER): string {
  return [
    `curl -X POST ${base}/api/v1/connections/${uuid}/proxy \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"method": "GET", "path": "/models"}'`,
  ].join("\n");
}

/** Stands for a credential in the examples: replace it with the real value. */
export const VALUE_PLACEHOLDER = "your-new-key";

/** One MCP `tools/call` as a plain HTTP request (the server is stateless: no initialize needed). */
export function curlMcpToolCall(base: string, key: string, tool: string, args: Record<string, unknown> = {}): string {
  const body = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: tool, arguments: args } };
  return [
    `curl -X POST ${base}/api/mcp \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -H "Accept: application/json, text/event-stream" \\`,
    `  -d '${JSON.stringify(body)}'`,
  ].join("\n");
}
