import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TARGET_REFUSED_MESSAGE } from "@/lib/integrations/outbound";
import { runProbe } from "@/lib/integrations/probes";
import { getProvider } from "@/lib/integrations/providers/registry";
import { installLoopbackGuard } from "@/tests/support/loopback-guard";
import { createProbeRole, type TProbeRole } from "@/tests/support/standins/postgres";
import { SFTP_USER, startSftpStandIn, type TSftpStandIn } from "@/tests/support/standins/sftp";
import { SMTP_USER, startSmtpStandIn, type TSmtpStandIn } from "@/tests/support/standins/smtp";
import { STANDIN_CA_FILE } from "@/tests/support/standins/tls-fixture";
import { startHttpServer, type THttpStandIn } from "@/tests/support/standins/http-server";
import { setEnv } from "@/tests/support/test-db";
import { setOutboundResolver } from "@/lib/integrations/outbound";

// The protocol probes beyond right/wrong: TLS modes, key formats, SSL modes,
// and the SSRF cases for SMTP, PostgreSQL and SFTP targets.

installLoopbackGuard();

let starttls: TSmtpStandIn;
let implicit: TSmtpStandIn;
let sftp: TSftpStandIn;
let role: TProbeRole;
let counter: THttpStandIn;

// The local PostgreSQL (127.0.0.1:5432) is opened only for the tests that log in to it: the
// refusal tests must see it closed, as it is for every operator.
const allow = (extra: string[] = []) =>
  setEnv("SWITCHBOARD_OUTBOUND_ALLOW", [starttls.port, implicit.port, sftp.port].map((p) => `127.0.0.1:${p}`).concat(extra).join(","));
const withPostgresOpen = async (run: () => Promise<void>) => {
  allow([`127.0.0.1:${role.port}`]);
  try {
    await run();
  } finally {
    allow();
  }
};

beforeAll(async () => {
  [starttls, implicit, sftp, role, counter] = await Promise.all([
    startSmtpStandIn(),
    startSmtpStandIn({ implicitTls: true }),
    startSftpStandIn(),
    createProbeRole(),
    startHttpServer((_q, r) => r.end()),
  ]);
  allow();
  setEnv("SWITCHBOARD_OUTBOUND_CA_FILE", STANDIN_CA_FILE);
});
afterAll(async () => {
  setEnv("SWITCHBOARD_OUTBOUND_ALLOW", undefined);
  setEnv("SWITCHBOARD_OUTBOUND_CA_FILE", undefined);
  await Promise.all([starttls?.close(), implicit?.close(), sftp?.close(), role?.drop(), counter?.close()]);
});

const probe = (key: string, values: Record<string, string>) => runProbe(getProvider(key)!, values);

describe("SMTP", () => {
  const login = { username: SMTP_USER.username, password: SMTP_USER.password };

  it("logs in over implicit TLS", async () => {
    const r = await probe("smtp", { host: "127.0.0.1", port: String(implicit.port), security: "tls", ...login });
    expect(r, r.message).toMatchObject({ ok: true, facts: { Security: "TLS (implicit), certificate verified" } });
  });

  it("refuses a certificate nobody trusts, before sending the password", async () => {
    setEnv("SWITCHBOARD_OUTBOUND_CA_FILE", undefined);
    try {
      const before = starttls.logins.length;
      const r = await probe("smtp", { host: "127.0.0.1", port: String(starttls.port), security: "starttls", ...login });
      expect(r).toMatchObject({ ok: false, code: "tls_failed" });
      expect(r.message).toBe(`The TLS certificate of 127.0.0.1:${starttls.port} is not trusted.`);
      expect(starttls.logins.length).toBe(before);
    } finally {
      setEnv("SWITCHBOARD_OUTBOUND_CA_FILE", STANDIN_CA_FILE);
    }
  });

  it("says when nothing listens", async () => {
    allow([`127.0.0.1:${counter.port + 1}`]);
    const r = await probe("smtp", { host: "127.0.0.1", port: String(counter.port + 1), security: "starttls", ...login });
    expect(r).toMatchObject({ ok: false, code: "unreachable", message: `Could not connect to 127.0.0.1:${counter.port + 1}.` });
    allow();
  });

  it("refuses a host whose DNS answer mixes a public address and 127.0.0.1, for SMTP, PostgreSQL and SFTP", async () => {
    setOutboundResolver(async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ]);
    try {
      const results = await Promise.all([
        probe("smtp", { host: "mail.mixed.example", port: "587", security: "starttls", ...login }),
        probe("postgresql", { host: "db.mixed.example", port: "5432", database: "d", user: "u", sslmode: "disable" }),
        probe("sftp", { host: "files.mixed.example", port: "22", username: "u", auth_method: "password", password: "p" }),
      ]);
      for (const r of results) expect(r).toMatchObject({ ok: false, code: "target_refused", message: TARGET_REFUSED_MESSAGE });
    } finally {
      setOutboundResolver(null);
    }
  });

  it.each([
    ["the app's own database port", "127.0.0.1", 5432],
    ["the metadata address", "169.254.169.254", 25],
    ["decimal loopback", "2130706433", 25],
    ["IPv4-mapped metadata", "::ffff:169.254.169.254", 587],
    ["localhost with a dot", "localhost.", 25],
  ])("refuses %s as an SMTP target", async (_l, host, port) => {
    const r = await probe("smtp", { host: String(host), port: String(port), security: "starttls", ...login });
    expect(r).toMatchObject({ ok: false, code: "target_refused", message: TARGET_REFUSED_MESSAGE });
  });
});

describe("PostgreSQL", () => {
  const base = () => ({ host: "127.0.0.1", port: String(role.port), database: role.database, user: role.user, password: role.password });

  it("accepts a connection string, which takes precedence over the fields", async () => {
    await withPostgresOpen(async () => {
      const url = `postgresql://${role.user}:${role.password}@127.0.0.1:${role.port}/${role.database}?sslmode=disable`;
      const r = await probe("postgresql", { connection_string: url, host: "ignored.example.com" });
      expect(r, r.message).toMatchObject({ ok: true, facts: { User: role.user, Database: role.database } });
      expect(JSON.stringify(r)).not.toContain(role.password);
    });
  });

  it("falls back to plain text with sslmode prefer on a server without TLS", async () => {
    await withPostgresOpen(async () => {
      const r = await probe("postgresql", { ...base(), sslmode: "prefer" });
      expect(r, r.message).toMatchObject({ ok: true, facts: { TLS: "no" } });
    });
  });

  it.each(["require", "verify-full"])("explains that the server has no TLS for sslmode %s", async (sslmode) => {
    await withPostgresOpen(async () => {
      const r = await probe("postgresql", { ...base(), sslmode });
      expect(r).toMatchObject({ ok: false, code: "tls_failed" });
      expect(r.message).toMatch(/does not accept TLS; use SSL mode "prefer" or "disable"/);
    });
  });

  it("reports a role that may not log in and a database that does not exist", async () => {
    await withPostgresOpen(async () => {
      const noLogin = await probe("postgresql", { ...base(), user: role.noLoginUser, sslmode: "disable" });
      expect(noLogin.message).toBe(`PostgreSQL refused the login: role "${role.noLoginUser}" is not permitted to log in (28000).`);
      const noDb = await probe("postgresql", { ...base(), database: `${role.database}_gone`, sslmode: "disable" });
      expect(noDb.message).toBe(`PostgreSQL refused the login: database "${role.database}_gone" does not exist (3D000).`);
    });
  });

  it.each([
    ["0x7f.1", 5432],
    ["127.1", 5432],
    ["::", 5432],
    ["169.254.169.254", 5432],
    ["[64:ff9b::a9fe:a9fe]", 5432],
  ])("refuses %s:%s as a database target (also inside a connection string)", async (host, port) => {
    const fields = await probe("postgresql", { ...base(), host: String(host).replace(/^\[|\]$/g, ""), port: String(port), sslmode: "disable" });
    expect(fields).toMatchObject({ ok: false, code: "target_refused", message: TARGET_REFUSED_MESSAGE });
    const url = await probe("postgresql", { connection_string: `postgresql://u:p@${String(host).includes(":") && !String(host).startsWith("[") ? `[${host}]` : host}:${port}/db` });
    expect(url).toMatchObject({ ok: false, code: "target_refused" });
  });
});

describe("SFTP", () => {
  const at = { host: "127.0.0.1", port: String(sftp?.port ?? 0), username: SFTP_USER.username };
  const where = () => ({ ...at, port: String(sftp.port) });

  it("logs in with a private key and with an encrypted key plus its passphrase", async () => {
    const plain = await probe("sftp", { ...where(), auth_method: "private_key", private_key: sftp.privateKey });
    expect(plain, plain.message).toMatchObject({ ok: true, facts: { Authentication: "private key", "Home directory": SFTP_USER.home } });
    expect(plain.facts["Host key"]).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const enc = await probe("sftp", { ...where(), auth_method: "private_key", private_key: sftp.encryptedKey, passphrase: sftp.passphrase });
    expect(enc, enc.message).toMatchObject({ ok: true });
  });

  it("explains a passphrase-protected key without its passphrase, a wrong passphrase and a malformed key, before connecting", async () => {
    const before = sftp.logins.length;
    const noPass = await probe("sftp", { ...where(), auth_method: "private_key", private_key: sftp.encryptedKey });
    expect(noPass.message).toBe("The private key is protected by a passphrase: enter it in Key passphrase.");
    const badPass = await probe("sftp", { ...where(), auth_method: "private_key", private_key: sftp.encryptedKey, passphrase: "not-the-passphrase" });
    expect(badPass.message).toBe("The key passphrase is wrong: the private key could not be decrypted.");
    const broken = sftp.privateKey.replace(/\n[A-Za-z0-9+/]{10}/, "\n!!!!!!!!!!");
    const malformed = await probe("sftp", { ...where(), auth_method: "private_key", private_key: broken });
    expect(malformed.message).toBe("The private key could not be read: paste the whole PEM block, including the BEGIN and END lines.");
    expect(sftp.logins.length).toBe(before);
  });

  it("rejects a key the server does not know", async () => {
    const r = await probe("sftp", { ...where(), auth_method: "private_key", private_key: sftp.strangerKey });
    expect(r).toMatchObject({ ok: false, code: "rejected", message: "The SSH server rejected the private key for deploy." });
  });

  it.each([
    ["169.254.169.254", 22],
    ["2002:a9fe:a9fe::1", 22],
    ["127.0.0.1", 5432],
    ["0.0.0.0", 22],
  ])("refuses %s:%s as an SFTP target", async (host, port) => {
    const r = await probe("sftp", { host: String(host), port: String(port), username: "u", auth_method: "password", password: "p" });
    expect(r).toMatchObject({ ok: false, code: "target_refused", message: TARGET_REFUSED_MESSAGE });
  });
});
