import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { STANDIN_CERT, STANDIN_KEY } from "./tls-fixture";

// A real SMTP server (smtp-server): EHLO, STARTTLS (or implicit TLS) with the
// stand-in certificate, AUTH PLAIN/LOGIN for exactly one user. It never
// accepts mail: the probe only logs in.

export const SMTP_USER = { username: "mailer@acme.test", password: "right smtp password" };

export type TSmtpStandIn = { port: number; logins: string[]; close(): Promise<void> };

export async function startSmtpStandIn(opts: { implicitTls?: boolean; port?: number } = {}): Promise<TSmtpStandIn> {
  const logins: string[] = [];
  const server = new SMTPServer({
    secure: opts.implicitTls ?? false,
    key: STANDIN_KEY,
    cert: STANDIN_CERT,
    authMethods: ["PLAIN", "LOGIN"],
    // AUTH only after STARTTLS, like a real submission server.
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, cb) {
      logins.push(auth.username ?? "");
      if (auth.username === SMTP_USER.username && auth.password === SMTP_USER.password) return cb(null, { user: auth.username });
      const err = Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 });
      cb(err);
    },
    onData(stream, _session, cb) {
      stream.resume();
      stream.on("end", () => cb(new Error("the stand-in accepts no mail")));
    },
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", resolve);
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, logins, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
