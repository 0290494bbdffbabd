import http from "node:http";
import type { AddressInfo } from "node:net";

export type THttpStandIn = {
  port: number;
  origin: string;
  /** TCP connections accepted so far (a refused target must leave this at 0). */
  connections(): number;
  close(): Promise<void>;
};

/** A plain HTTP server on 127.0.0.1 (port 0 unless given) that counts the connections it accepts. */
export async function startHttpServer(handler: http.RequestListener, port = 0): Promise<THttpStandIn> {
  const server = http.createServer(handler);
  let connections = 0;
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (s) => {
    connections += 1;
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    origin: `http://127.0.0.1:${bound}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reads a request body as text. */
export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (text += c));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
