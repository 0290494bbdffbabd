import { afterAll, beforeAll, beforeEach } from "vitest";
import { saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { addGenericConnection, allowLoopbackOutbound, connect, REDIRECT_URI } from "./oauth";
import { RESOURCE_PATH, startOidcServer, type TOidcStandin } from "./standins/oidc-server";
import { startTokenEndpoint, type TTokenEndpoint } from "./standins/token-endpoint";
import { unwrap } from "./results";
import { captureConsole, createFirstOrg, setEnv, setupTestDatabase, type ConsoleCapture, type TestDatabase } from "./test-db";

// The file setup the OAuth integration tests share: a fresh database with a
// first organization, the provider stand-in the file talks to, and (with the
// oidc-provider stand-in) one generic_oauth2 connection on it, connected
// through the real login and consent pages.

export type TOAuthFixtureOptions = {
  /** Capture console output from the start (read with `logs.text()`; restored after the file). */
  captureLogs?: boolean;
  /** Environment for the file, set once the database is up, unset after the file. */
  env?: Record<string, string>;
  /** false: the file sets up the outbound policy itself (default: loopback allowed, where the stand-ins live). */
  allowLoopback?: boolean;
  /** The oidc-provider stand-in; every test starts with its counters at zero. */
  oidc?: {
    accessTokenTtlSeconds?: number;
    /** Setup fields saved over what discovery filled, before connecting. */
    setup?: (standin: TOidcStandin) => Record<string, string>;
  };
  /** A scripted token endpoint (tests/support/standins/token-endpoint.ts). */
  tokenEndpoint?: boolean;
};

type TNone = Record<never, never>;

/** What beforeAll sets up; a field exists (in its type, too) only with the option that makes it. */
export type TOAuthFixture<O extends TOAuthFixtureOptions> = { ctx: TServiceContext; testDb: TestDatabase } &
  (O extends { captureLogs: true } ? { logs: ConsoleCapture } : TNone) &
  (O extends { oidc: object } ? TOidcConnection : TNone) &
  (O extends { tokenEndpoint: true } ? { endpoint: TTokenEndpoint } : TNone);

type TOidcConnection = {
  standin: TOidcStandin;
  /** The generic_oauth2 connection on the stand-in, connected as ada. */
  uuid: string;
  /** The stand-in's protected resource (it answers 401 to an expired token). */
  resource: string;
};

type TAll = { ctx: TServiceContext; testDb: TestDatabase; logs?: ConsoleCapture; standin?: TOidcStandin; endpoint?: TTokenEndpoint } & Omit<TOidcConnection, "standin">;

/** Registers the file's beforeAll/afterAll (and beforeEach with `oidc`); the fields are set once beforeAll has run. */
export function oauthFixture<const O extends TOAuthFixtureOptions>(opts: O): TOAuthFixture<O> {
  const f = {} as TAll;
  beforeAll(async () => {
    if (opts.captureLogs) f.logs = captureConsole();
    f.testDb = await setupTestDatabase();
    if (opts.allowLoopback !== false) allowLoopbackOutbound();
    for (const [name, value] of Object.entries(opts.env ?? {})) setEnv(name, value);
    f.ctx = await createFirstOrg();
    if (opts.tokenEndpoint) f.endpoint = await startTokenEndpoint();
    if (opts.oidc) {
      const standin = (f.standin = await startOidcServer({ redirectUris: [REDIRECT_URI], accessTokenTtlSeconds: opts.oidc.accessTokenTtlSeconds }));
      f.resource = `${standin.issuer}${RESOURCE_PATH}`;
      f.uuid = await addGenericConnection(f.ctx, standin);
      if (opts.oidc.setup) unwrap(await saveSetup(f.ctx, { uuid: f.uuid, attrs: opts.oidc.setup(standin) }));
      await connect(f.ctx, f.uuid);
    }
  });
  afterAll(async () => {
    f.logs?.restore();
    await f.standin?.close();
    await f.endpoint?.close();
    for (const name of Object.keys(opts.env ?? {})) setEnv(name, undefined);
    await f.testDb?.teardown();
  });
  if (opts.oidc) beforeEach(() => f.standin?.resetCounters());
  return f as unknown as TOAuthFixture<O>;
}
