import type http from "node:http";
import { afterAll, beforeAll } from "vitest";
import { stopConnectionEvents } from "@/lib/events/service/listener";
import type { TServiceContext } from "@/lib/integrations/service";
import { startInProcessDataPlane } from "./consumer-target";
import { allowLoopbackOutbound } from "./oauth";
import { startHttpServer, type THttpStandIn } from "./standins/http-server";
import { captureConsole, createFirstOrg, setEnv, setupTestDatabase, type ConsoleCapture, type TestDatabase } from "./test-db";

// The file setup the consumer API tests share: a fresh database with a first
// organization and the data plane built in this process on a local port
// (tests/support/consumer-target.ts), optionally behind it a stand-in that
// plays OpenAI's API.

export type TDataPlane = { url: string; close(): Promise<void> };

export type TConsumerFixtureOptions = {
  /** Capture console output from the start (read with `logs.text()`; restored after the file). */
  captureLogs?: boolean;
  /** Environment for the file, set once the database is up (before the data plane boots), unset after the file. */
  env?: Record<string, string>;
  /** Let the outbound policy reach loopback, where stand-ins live (implied by `openaiUpstream`). */
  allowLoopback?: boolean;
  /** OpenAI's API as a local HTTP server with this handler (SWITCHBOARD_PROVIDER_BASE_URLS=openai=…). */
  openaiUpstream?: http.RequestListener;
  /** "test": no data plane in beforeAll; a test boots it with `startPlane()` once it has set what the boot must see. */
  plane?: "file" | "test";
  /**
   * For tests that point the LISTEN connection elsewhere (DATABASE_URL): after
   * the file the listener is stopped and DATABASE_URL set back for the teardown.
   */
  listener?: boolean;
  /** Runs after the file once the data plane is closed (and the listener stopped), before the database goes. */
  afterPlane?: () => Promise<void> | void;
};

type TNone = Record<never, never>;

/** What beforeAll sets up; a field exists (in its type, too) only with the option that makes it. */
export type TConsumerFixture<O extends TConsumerFixtureOptions> = {
  ctx: TServiceContext;
  testDb: TestDatabase;
  /** With `plane: "test"`: once a test called `startPlane()`. */
  plane: TDataPlane;
  /** Boots the data plane in this process; it is closed after the file. */
  startPlane(): Promise<TDataPlane>;
} & (O extends { captureLogs: true } ? { logs: ConsoleCapture } : TNone) &
  (O extends { openaiUpstream: http.RequestListener } ? { upstream: THttpStandIn } : TNone);

type TAll = TConsumerFixture<TConsumerFixtureOptions> & { logs?: ConsoleCapture; upstream?: THttpStandIn };

/** Registers the file's beforeAll/afterAll; the fields are set once beforeAll has run. */
export function consumerFixture<const O extends TConsumerFixtureOptions>(opts: O): TConsumerFixture<O> {
  const env = { ...opts.env };
  const f = {
    startPlane: async () => (f.plane = await startInProcessDataPlane()),
  } as TAll;
  beforeAll(async () => {
    if (opts.captureLogs) f.logs = captureConsole();
    if (opts.openaiUpstream) {
      f.upstream = await startHttpServer(opts.openaiUpstream);
      env.SWITCHBOARD_PROVIDER_BASE_URLS = `openai=${f.upstream.origin}`;
    }
    f.testDb = await setupTestDatabase();
    if (opts.allowLoopback || opts.openaiUpstream) allowLoopbackOutbound();
    for (const [name, value] of Object.entries(env)) setEnv(name, value);
    f.ctx = await createFirstOrg();
    if (opts.plane !== "test") await f.startPlane();
  }, 120_000);
  afterAll(async () => {
    await f.plane?.close();
    if (opts.listener) {
      await stopConnectionEvents();
      if (f.testDb?.url) setEnv("DATABASE_URL", f.testDb.url);
    }
    await opts.afterPlane?.();
    for (const name of Object.keys(env)) setEnv(name, undefined);
    await f.upstream?.close();
    f.logs?.restore();
    await f.testDb?.teardown();
  });
  return f as TConsumerFixture<O>;
}
