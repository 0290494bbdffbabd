import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildDataPlane } from "@/lib/consumer-api/data-plane";
import { startAppServer, type TAppServer } from "./app-server";
import { startRouteServer } from "./route-server";
import type { TestDatabase } from "./test-db";

// Where the consumer API tests send their calls. On PostgreSQL: the real
// server (server/main.mjs, Fastify in front of Next) in its own process. On
// the embedded database, which one process owns: the same data plane built
// in this process (lib/consumer-api/data-plane.ts) on a local port, and the
// admin API's route handlers beside it.

export type TConsumerTarget = {
  /** Base URL of /api/v1 (and, on the real server, everything else). */
  url: string;
  /** Base URL of the admin API (/api/admin, /api/mcp, …). */
  adminUrl: string;
  /** The real server, when there is one. */
  server: TAppServer | null;
  close(): Promise<void>;
};

/** The data plane in this process, on 127.0.0.1:0 ("instance A" of the cache tests). */
export async function startInProcessDataPlane(): Promise<{ url: string; close(): Promise<void> }> {
  const plane = await buildDataPlane();
  const server = http.createServer(plane.handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await plane.close(); // timers stopped, counts written: nothing touches the database after its teardown
    },
  };
}

export async function startConsumerTarget(testDb: TestDatabase, env: Record<string, string> = {}): Promise<TConsumerTarget> {
  if (testDb.kind === "postgres") {
    const server = await startAppServer({ databaseUrl: testDb.url!, env });
    return { url: server.url, adminUrl: server.url, server, close: async () => void (await server.stop()) };
  }
  const plane = await startInProcessDataPlane();
  const admin = await startRouteServer();
  return {
    url: plane.url,
    adminUrl: admin.url,
    server: null,
    close: async () => {
      await plane.close();
      await admin.close();
    },
  };
}
