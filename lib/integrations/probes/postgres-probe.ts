import "server-only";
import net from "node:net";
import pg from "pg";
import { describeNetworkError, outboundCas, resolveOutboundTarget } from "@/lib/integrations/outbound";
import type { Provider } from "@/lib/integrations/providers/types";
import { failed, passed, PROBE_TIMEOUT_MS, type TProbeOutcome, type TProbeValues } from "./types";

// A real PostgreSQL login and `SELECT 1`, with the SSL mode asked for:
// disable (plain), prefer (TLS when offered, else plain, unverified),
// require (TLS, unverified, like libpq without a root certificate),
// verify-full (TLS, certificate verified against the host name).

type TPgTarget = { host: string; port: number; database?: string; user?: string; password?: string; sslmode: string };

function fromValues(values: TProbeValues): TPgTarget | string {
  if (values.connection_string) {
    let u: URL;
    try {
      u = new URL(values.connection_string);
    } catch {
      return "The connection string is not a valid postgresql:// URL.";
    }
    const dec = (s: string) => decodeURIComponent(s);
    return {
      host: dec(u.hostname).replace(/^\[|\]$/g, "") || u.searchParams.get("host") || "",
      port: Number(u.port || 5432),
      database: dec(u.pathname.replace(/^\//, "")) || undefined,
      user: dec(u.username) || undefined,
      password: u.password ? dec(u.password) : undefined,
      sslmode: u.searchParams.get("sslmode") ?? "prefer",
    };
  }
  return {
    host: values.host ?? "",
    port: Number(values.port || 5432),
    database: values.database,
    user: values.user,
    password: values.password,
    sslmode: values.sslmode || "prefer",
  };
}

type TPgError = Error & { code?: string };

export async function postgresProbe(_provider: Provider, values: TProbeValues, deadline: AbortSignal): Promise<TProbeOutcome> {
  const t = fromValues(values);
  if (typeof t === "string") return failed("invalid_input", t);
  if (!t.host) return failed("invalid_input", "Enter a connection string, or the host, database and user first.");
  if (!t.user) return failed("invalid_input", "Enter the user to log in as.");
  const user = t.user;
  if (t.host.startsWith("/")) return failed("target_refused", "Unix-socket connections are not tested; enter a host name.");
  const target = await resolveOutboundTarget(t.host, t.port);
  const where = { host: target.host, port: t.port, timeoutMs: PROBE_TIMEOUT_MS };
  const attempt = async (ssl: pg.ClientConfig["ssl"]) => {
    // Every login parameter explicit: pg fills an empty or missing one from the
    // server's own PGUSER / PGPASSWORD / PGDATABASE / ~/.pgpass, which would
    // send the app's database credentials to a host the operator chose. A
    // password given as a function is used as is (even when empty).
    const password = t.password ?? "";
    // Our own socket, so the test's deadline can close it whatever step pg is in.
    const socket = new net.Socket();
    const close = () => socket.destroy();
    deadline.addEventListener("abort", close, { once: true });
    const client = new pg.Client({
      stream: () => socket,
      host: target.addresses[0]!.address,
      port: t.port,
      user,
      password: async () => password,
      database: t.database || user,
      ssl,
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
      query_timeout: PROBE_TIMEOUT_MS,
      application_name: "switchboard-connection-test",
    });
    client.on("error", () => undefined); // a server dropping us after the test must not crash the process
    try {
      await client.connect();
      const { rows } = await client.query<{ one: number; version: string; db: string; usr: string }>(
        "SELECT 1 AS one, current_setting('server_version') AS version, current_database() AS db, current_user AS usr",
      );
      return rows[0]!;
    } finally {
      deadline.removeEventListener("abort", close);
      await client.end().catch(() => undefined);
    }
  };
  const verify = { rejectUnauthorized: true, ca: outboundCas(), ...(net.isIP(target.host) ? {} : { servername: target.host }) };
  const unverified = { rejectUnauthorized: false };
  let usedTls = t.sslmode !== "disable";
  try {
    let row;
    if (t.sslmode === "disable") row = await attempt(false);
    else if (t.sslmode === "verify-full" || t.sslmode === "verify-ca") row = await attempt(verify);
    else if (t.sslmode === "require") row = await attempt(unverified);
    else {
      try {
        row = await attempt(unverified);
      } catch (err) {
        if (!/does not support SSL/i.test((err as Error).message)) throw err;
        usedTls = false;
        row = await attempt(false);
      }
    }
    return passed(`PostgreSQL accepted the login of ${row.usr} to ${row.db} and answered SELECT 1.`, {
      "Server version": row.version,
      Database: row.db,
      User: row.usr,
      TLS: usedTls ? (t.sslmode.startsWith("verify") ? "yes, certificate verified" : "yes, certificate not verified") : "no",
    }, { name: `${row.usr}@${row.db}` });
  } catch (err) {
    return pgFailure(err as TPgError, where, t);
  }
}

function pgFailure(err: TPgError, where: { host: string; port: number; timeoutMs: number }, t: TPgTarget): TProbeOutcome {
  if (/does not support SSL/i.test(err.message)) {
    return failed("tls_failed", `The PostgreSQL server at ${where.host}:${where.port} does not accept TLS; use SSL mode "prefer" or "disable" (or enable TLS on the server).`);
  }
  switch (err.code) {
    case "28P01":
      return failed("rejected", `PostgreSQL rejected the password for user ${t.user ?? "(none)"} (28P01).`);
    case "28000":
      return failed("rejected", `PostgreSQL refused the login: ${err.message} (28000).`);
    case "3D000":
      return failed("rejected", `PostgreSQL refused the login: ${err.message} (3D000).`);
    case "57P03":
      return failed("provider_error", "The PostgreSQL server is starting up or shutting down; try again shortly.");
  }
  if (/timeout/i.test(err.message) && !err.code) return failed("timeout", `Could not reach ${where.host}:${where.port} within ${Math.round(where.timeoutMs / 1000)} s.`);
  if (err.code && /^[0-9A-Z]{5}$/.test(err.code)) return failed("rejected", `PostgreSQL refused: ${err.message} (${err.code}).`);
  const described = describeNetworkError(err, where);
  return failed(described.code, described.message);
}
