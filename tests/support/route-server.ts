import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { PEER_ADDRESS_HEADER } from "@/lib/auth/client-address";

// The admin API's route handlers served over real HTTP on 127.0.0.1:0 inside
// the test process, so integration tests can drive them with fetch and the
// MCP SDK's client while changing what the running server cannot (a small
// rate limit, an expired key, the provider base URLs of a stand-in).

type THandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
type TRoute = { method: string; pattern: RegExp; names: string[]; handler: THandler };

export type TRouteServer = { url: string; close(): Promise<void> };

async function routes(): Promise<TRoute[]> {
  const list = await import("@/app/api/admin/integrations/route");
  const credentials = await import("@/app/api/admin/integrations/[key]/credentials/route");
  const powerAutomate = await import("@/app/api/powerautomate/[tool]/route");
  const mcp = await import("@/app/api/mcp/route");
  const aiMcp = await import("@/app/api/ai/[key]/mcp/route");
  const openapi = await import("@/app/api/openapi.json/route");
  const r = (method: string, path: string, handler: THandler): TRoute => {
    const names: string[] = [];
    const pattern = new RegExp(`^${path.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), "([^/]+)"))}$`);
    return { method, pattern, names, handler };
  };
  return [
    r("GET", "/api/admin/integrations", list.GET as THandler),
    r("PUT", "/api/admin/integrations/{key}/credentials", credentials.PUT as THandler),
    r("DELETE", "/api/admin/integrations/{key}/credentials", credentials.DELETE as THandler),
    r("POST", "/api/powerautomate/{tool}", powerAutomate.POST as THandler),
    r("POST", "/api/mcp", mcp.POST as THandler),
    r("GET", "/api/mcp", mcp.GET as THandler),
    r("POST", "/api/ai/{key}/mcp", aiMcp.POST as THandler),
    r("GET", "/api/ai/{key}/mcp", aiMcp.GET as THandler),
    r("GET", "/api/openapi.json", openapi.GET as THandler),
  ];
}

export async function startRouteServer(): Promise<TRouteServer> {
  const table = await routes();
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const route = table.find((r) => r.method === req.method && r.pattern.test(url.pathname));
      if (!route) {
        res.writeHead(table.some((r) => r.pattern.test(url.pathname)) ? 405 : 404).end();
        return;
      }
      const match = route.pattern.exec(url.pathname)!;
      // Next.js hands route handlers decoded dynamic segments.
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
      // As the real server does (lib/auth/client-address.ts): the socket address, stamped over anything the client sent.
      req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress;
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(url, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : v === undefined ? [] : [[k, v]])) as [string, string][],
        body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
        ...(hasBody ? { duplex: "half" } : {}),
      } as RequestInit);
      const response = await route.handler(request, { params: Promise.resolve(params) });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      console.error(err);
      res.writeHead(599).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
