import { timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import ssh2, { type Connection } from "ssh2";

// A real SSH server (ssh2) with an SFTP subsystem for one user, who may log
// in with a password or with one ed25519 key. REALPATH answers the home
// directory; everything else is refused.

const { Server, utils } = ssh2;
const { STATUS_CODE } = utils.sftp;

export const SFTP_USER = { username: "deploy", password: "right sftp password", home: "/home/deploy" };

export type TSftpStandIn = {
  port: number;
  /** An unencrypted OpenSSH private key the server accepts. */
  privateKey: string;
  /** The same kind of key, encrypted with `passphrase`, also accepted. */
  encryptedKey: string;
  passphrase: string;
  /** A valid key the server does not know. */
  strangerKey: string;
  logins: string[];
  close(): Promise<void>;
};

export async function startSftpStandIn(): Promise<TSftpStandIn> {
  const hostKey = utils.generateKeyPairSync("ed25519");
  const client = utils.generateKeyPairSync("ed25519");
  const passphrase = "right key passphrase";
  const encrypted = utils.generateKeyPairSync("ed25519", { passphrase, cipher: "aes256-cbc", rounds: 16 });
  const stranger = utils.generateKeyPairSync("ed25519");
  const allowed = [client.public, encrypted.public].map((k) => utils.parseKey(k)).filter((k) => !(k instanceof Error)) as ssh2.ParsedKey[];
  const logins: string[] = [];

  const server = new Server({ hostKeys: [hostKey.private] }, (conn: Connection) => {
    conn.on("error", () => undefined); // a client that hangs up must not crash the stand-in
    conn.on("authentication", (ctx) => {
      logins.push(`${ctx.username}:${ctx.method}`);
      if (ctx.username !== SFTP_USER.username) return ctx.reject(["password", "publickey"]);
      if (ctx.method === "password" && ctx.password === SFTP_USER.password) return ctx.accept();
      if (ctx.method === "publickey") {
        const key = allowed.find((k) => k.type === ctx.key.algo && timingSafeEqual(k.getPublicSSH(), ctx.key.data));
        if (key && (!ctx.signature || key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true)) return ctx.accept();
      }
      ctx.reject(["password", "publickey"]);
    });
    conn.on("ready", () => {
      conn.on("session", (accept) => {
        const session = accept();
        session.on("sftp", (acceptSftp) => {
          const sftp = acceptSftp();
          sftp.on("REALPATH", (id) => sftp.name(id, [{ filename: SFTP_USER.home, longname: SFTP_USER.home, attrs: {} as never }]));
          for (const op of ["OPEN", "OPENDIR", "STAT", "LSTAT"] as const) sftp.on(op, (id: number) => sftp.status(id, STATUS_CODE.PERMISSION_DENIED));
        });
      });
    });
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    privateKey: client.private,
    encryptedKey: encrypted.private,
    passphrase,
    strangerKey: stranger.private,
    logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
