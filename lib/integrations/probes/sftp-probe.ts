import "server-only";
import { createHash } from "node:crypto";
import ssh2 from "ssh2";
import { describeNetworkError, resolveOutboundTarget } from "@/lib/integrations/outbound";
import type { Provider } from "@/lib/integrations/providers/types";
import { failed, passed, PROBE_TIMEOUT_MS, type TProbeOutcome, type TProbeValues } from "./types";

// A real SSH login (password or private key) and an SFTP session that asks
// for the home directory. The host key is not pinned: the test reports its
// SHA-256 fingerprint so the operator can compare it with the server's.

// ssh2 is CommonJS: Node's ESM loader (the CLI scripts) sees only its default export.
const { Client, utils } = ssh2;

/** Why a private key cannot be used, in words; null when it parses. */
export function privateKeyProblem(key: string, passphrase: string | undefined): string | null {
  const parsed = utils.parseKey(key, passphrase || undefined);
  if (!(parsed instanceof Error)) return null;
  const m = parsed.message;
  if (/no passphrase given|encrypted.*passphrase|passphrase.*required/i.test(m)) {
    return "The private key is protected by a passphrase: enter it in Key passphrase.";
  }
  if (passphrase && /bad decrypt|decrypt|integrity|Failed to (decrypt|generate)|wrong passphrase/i.test(m)) return "The key passphrase is wrong: the private key could not be decrypted.";
  return "The private key could not be read: paste the whole PEM block, including the BEGIN and END lines.";
}

type TSshError = Error & { level?: string; code?: string };

export async function sftpProbe(_provider: Provider, values: TProbeValues, deadline: AbortSignal): Promise<TProbeOutcome> {
  if (!values.host || !values.username) return failed("invalid_input", "Enter the host and username first.");
  const useKey = values.auth_method === "private_key";
  if (useKey && !values.private_key) return failed("invalid_input", "Paste the private key first.");
  if (!useKey && !values.password) return failed("invalid_input", "Enter the password first.");
  if (useKey) {
    const problem = privateKeyProblem(values.private_key!, values.passphrase);
    if (problem) return failed("invalid_input", problem);
  }
  const port = Number(values.port || 22);
  const target = await resolveOutboundTarget(values.host, port);
  const where = { host: target.host, port, timeoutMs: PROBE_TIMEOUT_MS };
  let fingerprint = "";
  const conn = new Client();
  const close = () => conn.end();
  deadline.addEventListener("abort", close, { once: true });
  try {
    const home = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })), PROBE_TIMEOUT_MS);
      conn.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      conn.on("ready", () => {
        conn.sftp((err, sftp) => {
          if (err) return (clearTimeout(timer), reject(Object.assign(err, { level: "sftp" })));
          sftp.realpath(".", (e, path) => {
            clearTimeout(timer);
            if (e) reject(Object.assign(e, { level: "sftp" }));
            else resolve(path);
          });
        });
      });
      conn.connect({
        host: target.addresses[0]!.address,
        port,
        username: values.username,
        ...(useKey ? { privateKey: values.private_key, passphrase: values.passphrase || undefined } : { password: values.password }),
        readyTimeout: PROBE_TIMEOUT_MS,
        tryKeyboard: false,
        hostVerifier: (key: Buffer) => {
          fingerprint = `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
          return true;
        },
      });
    });
    return passed(`The SSH server at ${target.host}:${port} accepted the ${useKey ? "key" : "password"} of ${values.username} and opened SFTP.`, {
      "Home directory": home,
      "Host key": fingerprint,
      Authentication: useKey ? "private key" : "password",
    });
  } catch (err) {
    const e = err as TSshError;
    if (e.level === "client-authentication") {
      return failed("rejected", `The SSH server rejected the ${useKey ? "private key" : "password"} for ${values.username}.`, fingerprint ? { "Host key": fingerprint } : {});
    }
    if (e.level === "sftp") return failed("failed", "The login worked, but the server did not open an SFTP session (is the SFTP subsystem enabled for this user?).");
    if (e.level === "client-timeout") return failed("timeout", `Could not reach ${target.host}:${port} within ${Math.round(PROBE_TIMEOUT_MS / 1000)} s.`);
    const described = describeNetworkError(err, where);
    return failed(described.code, described.message);
  } finally {
    deadline.removeEventListener("abort", close);
    conn.end();
  }
}
