import "server-only";
import { dbKind } from "@/lib/db";
import { env } from "@/lib/env";
import { keyRing } from "@/lib/integrations/crypto/key-ring";
import { authSecret } from "@/lib/auth/secret";
import { pepperRing } from "@/lib/api-keys/pepper";
import { bootAuth } from "@/lib/auth/boot";
import { logger } from "@/lib/logger";
import { onShutdown, provideDataPlane, reportBooted } from "@/lib/lifecycle.mjs";
import { buildDataPlane } from "@/lib/consumer-api/data-plane";

/**
 * Runs once at server start (instrumentation.ts): validates the configuration,
 * opens and migrates the database and loads the key ring. The custom server
 * (server/main.mjs) waits for `reportBooted` before it listens and announces
 * the URL, so the first request never waits for the database. It also builds
 * the consumer data plane (/api/v1, lib/consumer-api/data-plane.ts) and hands
 * it to the custom server.
 */
export async function bootServer(): Promise<void> {
  try {
    env();
    const ring = keyRing();
    authSecret();
    pepperRing();
    const kind = await dbKind();
    await bootAuth();
    const plane = await buildDataPlane();
    // Registered after the database's closer, so it runs before it: the last read counts are written first.
    onShutdown("consumer API", () => plane.close());
    provideDataPlane(plane.handle);
    logger.info("database ready", { kind, keyVersion: ring.current.version });
    if (ring.source === "generated") {
      logger.warn("encryption key was generated into the data directory; set SWITCHBOARD_ENCRYPTION_KEYS for production");
    }
  } catch (err) {
    console.error(`\nSwitchboard cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  reportBooted();
}
