import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { OutboundError, outboundFetch } from "@/lib/integrations/outbound";
import { runProbe } from "@/lib/integrations/probes";
import { getProvider } from "@/lib/integrations/providers/registry";
import { PROBE_TIMEOUT_MS } from "@/lib/integrations/probes/types";
import { installLoopbackGuard } from "@/tests/support/loopback-guard";
import { setEnv } from "@/tests/support/test-db";

// SMTP, PostgreSQL and SFTP probes: one deadline for the whole test, however
// slowly a server answers; and the PostgreSQL probe logs in with exactly
// what the operator typed, never the server's own PG* environment.

installLoopbackGuard();

type TRawServer = { port: number; closedSockets: () => number; close(): Promise<void> };

/** A TCP server running `onSocket` per connection, counting sockets the client closed. */
async function rawServer(onSocket: (socket: net.Socket) => void): Promise<TRawServer> {
  let closed = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => (closed++, sockets.delete(socket)));
    onSocket(socket);
    socket.resume(); // a paused socket would never see the client's FIN
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    closedSockets: () => closed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const probe = (key: string, values: Record<string, string>) => runProbe(getProvider(key)!, values);
const servers: TRawServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  setEnv("SWITCHBOARD_OUTBOUND_ALLOW", undefined);
});

describe("one deadline covers connect, TLS, greeting and AUTH", () => {
  it("slow-drip SMTP, PostgreSQL and SSH servers: each test ends in a timeout at the deadline and its socket is closed", async () => {
    const timers = new Set<NodeJS.Timeout>();
    const drip = (socket: net.Socket, line: () => string, everyMs: number) => {
      const t = setInterval(() => socket.writable && socket.write(line()), everyMs);
      timers.add(t);
      socket.on("close", () => clearInterval(t));
    };
    // SMTP: a prompt greeting, then an EHLO answer that never ends, one line every 2 s (each socket idle timer is satisfied).
    const smtp = await rawServer((socket) => {
      socket.write("220 slow.example ESMTP\r\n");
      socket.once("data", () => drip(socket, () => "250-slow.example\r\n", 2000));
    });
    // PostgreSQL: accepts the connection and never answers the startup message.
    const postgres = await rawServer(() => undefined);
    // SSH: an identification that arrives one byte every 2 s.
    const ssh = await rawServer((socket) => drip(socket, () => "S", 2000));
    servers.push(smtp, postgres, ssh);
    setEnv("SWITCHBOARD_OUTBOUND_ALLOW", [smtp, postgres, ssh].map((s) => `127.0.0.1:${s.port}`).join(","));
    const results = await Promise.all([
      probe("smtp", { host: "127.0.0.1", port: String(smtp.port), security: "none", username: "u", password: "p" }),
      probe("postgresql", { host: "127.0.0.1", port: String(postgres.port), database: "d", user: "u", password: "p", sslmode: "disable" }),
      probe("sftp", { host: "127.0.0.1", port: String(ssh.port), username: "u", auth_method: "password", password: "p" }),
    ]);
    for (const r of results) {
      expect(r.ok).toBe(false);
      expect(r.code).toBe("timeout");
      // A deadline, not a benchmark: well before the minutes a slow-drip server could hold a test open.
      expect(r.durationMs).toBeLessThan(PROBE_TIMEOUT_MS + 3000);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([smtp, postgres, ssh].map((s) => s.closedSockets())).toEqual([1, 1, 1]);
    for (const t of timers) clearInterval(t);
  }, 40_000);
});

describe("outboundFetch's timeout messages", () => {
  it("a connect (TCP + TLS handshake) timeout names the connect limit, not the overall one", async () => {
    // Accepts TCP and never answers the TLS ClientHello: the connect phase cannot finish.
    const silent = await rawServer(() => undefined);
    servers.push(silent);
    setEnv("SWITCHBOARD_OUTBOUND_ALLOW", `127.0.0.1:${silent.port}`);
    const err = await outboundFetch(`https://127.0.0.1:${silent.port}/`, { connectTimeoutMs: 1000, timeoutMs: 4000 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OutboundError);
    expect((err as OutboundError).code).toBe("timeout");
    expect((err as OutboundError).message).toBe(`Could not reach 127.0.0.1:${silent.port} within 1 s.`);
  });
});

describe("the PostgreSQL probe ignores the server's PG* environment", () => {
  const saved = { PGPASSWORD: process.env.PGPASSWORD, PGUSER: process.env.PGUSER, PGDATABASE: process.env.PGDATABASE };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  /** Speaks just enough of the protocol to ask for a cleartext password and record the login. */
  async function recordingServer(logins: { user?: string; database?: string; password?: string }[]): Promise<TRawServer> {
    return rawServer((socket) => {
      let buf = Buffer.alloc(0);
      let login: { user?: string; database?: string; password?: string } | null = null;
      socket.on("data", (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        if (!login) {
          if (buf.length < 8 || buf.length < buf.readInt32BE(0)) return;
          const len = buf.readInt32BE(0);
          const params = buf.subarray(8, len - 1).toString("utf8").split("\0");
          buf = buf.subarray(len);
          login = {};
          for (let i = 0; i + 1 < params.length; i += 2) (login as Record<string, string>)[params[i]!] = params[i + 1]!;
          const auth = Buffer.alloc(9);
          auth.write("R", 0);
          auth.writeInt32BE(8, 1);
          auth.writeInt32BE(3, 5); // AuthenticationCleartextPassword
          socket.write(auth);
          return;
        }
        if (login.password !== undefined || buf.length < 5 || buf[0] !== 0x70 || buf.length < 1 + buf.readInt32BE(1)) return;
        login.password = buf.subarray(5, 1 + buf.readInt32BE(1) - 1).toString("utf8");
        logins.push(login);
        buf = Buffer.alloc(0);
        login = { ...login, password: "(answered)" }; // anything after the password (a Terminate) is not a second login
        const fields = Buffer.from("SFATAL\0C28P01\0Mpassword authentication failed\0\0", "utf8");
        const err = Buffer.alloc(5);
        err.write("E", 0);
        err.writeInt32BE(4 + fields.length, 1);
        socket.end(Buffer.concat([err, fields]));
      });
    });
  }

  it("with PGPASSWORD, PGUSER and PGDATABASE set, only the typed login is sent (an empty password stays empty)", async () => {
    const logins: { user?: string; database?: string; password?: string }[] = [];
    const server = await recordingServer(logins);
    servers.push(server);
    setEnv("SWITCHBOARD_OUTBOUND_ALLOW", `127.0.0.1:${server.port}`);
    process.env.PGPASSWORD = "canary-app-db-password";
    process.env.PGUSER = "app_owner";
    process.env.PGDATABASE = "app_db";
    const typed = await probe("postgresql", { host: "127.0.0.1", port: String(server.port), user: "probe_user", sslmode: "disable" });
    const fromUrl = await probe("postgresql", { connection_string: `postgresql://url_user@127.0.0.1:${server.port}/?sslmode=disable` });
    expect(typed).toMatchObject({ ok: false, code: "rejected" });
    expect(fromUrl).toMatchObject({ ok: false, code: "rejected" });
    expect(logins).toEqual([
      expect.objectContaining({ user: "probe_user", database: "probe_user", password: "" }),
      expect.objectContaining({ user: "url_user", database: "url_user", password: "" }),
    ]);
    expect(JSON.stringify([typed, fromUrl])).not.toContain("canary-app-db-password");
  });

  it("a missing user is asked for, not taken from PGUSER", async () => {
    process.env.PGUSER = "app_owner";
    const r = await probe("postgresql", { host: "127.0.0.1", port: "5432", database: "d", sslmode: "disable" });
    expect(r).toMatchObject({ ok: false, code: "invalid_input", message: "Enter the user to log in as." });
  });
});
