import { db } from "@/lib/db";
import { openRowSecrets, type TConnectionRow } from "@/lib/integrations/service/connection-row";
import { hashState } from "@/lib/integrations/service/oauth-authorize";
import { addConnection, authorizationUrl, completeAuthorization, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { authorizeAs } from "./standins/oidc-login";
import type { TOidcStandin } from "./standins/oidc-server";
import { unwrap } from "./results";
import { setEnv } from "./test-db";

// Shared by the OAuth integration tests: a generic_oauth2 connection on the
// stand-in (discovery), connected through the real login and consent pages.

/** Never reached: the tests read the provider's redirect instead of following it. */
export const REDIRECT_URI = "http://127.0.0.1:9/api/oauth/callback";

/** The finished outbound policy refuses loopback unless allowed; the stand-ins live there. */
export function allowLoopbackOutbound(): void {
  setEnv("SWITCHBOARD_OUTBOUND_ALLOW", "127.0.0.1/32");
}

export async function addGenericConnection(ctx: TServiceContext, standin: TOidcStandin, name = "idp"): Promise<string> {
  const { uuid } = unwrap(await addConnection(ctx, { provider: "generic_oauth2", name }));
  unwrap(
    await saveSetup(ctx, {
      uuid,
      attrs: { client_id: standin.clientId, client_secret: standin.clientSecret, issuer_url: standin.issuer, scopes: "openid email profile offline_access api" },
    }),
  );
  return uuid;
}

/** The provider's redirect to our callback after `login` signed in and consented. */
export async function consentAs(ctx: TServiceContext, uuid: string, login = "ada"): Promise<URLSearchParams> {
  const { url } = unwrap(await authorizationUrl(ctx, { uuid, redirectUri: REDIRECT_URI }));
  const back = await authorizeAs(url, login, REDIRECT_URI);
  return new URL(back).searchParams;
}

export async function connect(ctx: TServiceContext, uuid: string, login = "ada"): Promise<string> {
  const outcome = await completeAuthorization(ctx, { params: await consentAs(ctx, uuid, login) });
  return unwrap(outcome.result).account;
}

export async function storedSecrets(uuid: string): Promise<Record<string, string>> {
  const prisma = await db();
  return readSecrets(await prisma.setting.findUniqueOrThrow({ where: { uuid } }));
}

/** A row's decrypted secrets; a test fails loudly when they cannot be read. */
export function readSecrets(row: Pick<TConnectionRow, "uuid" | "orgId" | "secret" | "keyVersion">): Record<string, string> {
  const opened = openRowSecrets(row);
  if (!opened.ok) throw new Error(`secrets unreadable: ${opened.reason}`);
  return opened.secrets;
}

export async function stateRow(state: string) {
  const prisma = await db();
  return prisma.oAuthState.findUniqueOrThrow({ where: { stateHash: hashState(state) } });
}

/** Every table.column (text, json, bytea) holding `needle` in clear: PGlite and PostgreSQL alike. */
export async function plaintextColumnsContaining(needle: string): Promise<string[]> {
  const prisma = await db();
  const columns = await prisma.$queryRaw<{ table_name: string; column_name: string; udt_name: string }[]>`
    SELECT table_name::text, column_name::text, udt_name::text FROM information_schema.columns
    WHERE table_schema = 'public' AND udt_name IN ('text', 'varchar', 'bpchar', 'json', 'jsonb', 'bytea')`;
  const hits: string[] = [];
  for (const c of columns) {
    const column = `"${c.table_name}"."${c.column_name}"`;
    const where = c.udt_name === "bytea" ? `position(convert_to($1, 'UTF8') in ${column}) > 0` : `strpos(${column}::text, $1) > 0`;
    const rows = await prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${c.table_name}" WHERE ${where}`, needle);
    if (rows[0]!.n > 0) hits.push(`${c.table_name}.${c.column_name}`);
  }
  return hits;
}
