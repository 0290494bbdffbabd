import net from "node:net";
import type { AddressInfo } from "node:net";

// A TCP forwarder in front of a real server (PostgreSQL) that can go silent:
// freeze() stops moving bytes on every connection open now, in both
// directions, without closing anything — what a NAT or load balancer that
// dropped its mapping does (no FIN, no RST). Connections opened afterwards
// are forwarded normally.

export type TTcpProxy = { port: number; freeze(): void; close(): Promise<void> };

export async function startTcpProxy(target: { host: string; port: number }): Promise<TTcpProxy> {
  const live = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    live.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const done = () => {
      live.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", done).on("close", done);
    upstream.on("error", done).on("close", done);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const frozen: net.Socket[] = [];
  return {
    port: (server.address() as AddressInfo).port,
    freeze() {
      for (const pair of live) {
        pair.client.unpipe(pair.upstream);
        pair.upstream.unpipe(pair.client);
        pair.client.pause();
        pair.upstream.pause();
        frozen.push(pair.client, pair.upstream);
      }
      live.clear();
    },
    async close() {
      for (const s of frozen) s.destroy();
      for (const pair of live) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
