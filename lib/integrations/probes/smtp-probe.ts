import "server-only";
import net from "node:net";
import nodemailer from "nodemailer";
import { describeNetworkError, outboundCas, resolveOutboundTarget } from "@/lib/integrations/outbound";
import type { Provider } from "@/lib/integrations/providers/types";
import { failed, passed, PROBE_TIMEOUT_MS, type TProbeOutcome, type TProbeValues } from "./types";

// A real SMTP session without sending mail: EHLO, STARTTLS or implicit TLS
// as the Security field says (certificate verified against the host name),
// then AUTH when a username is set. nodemailer's verify() does exactly that.
// It connects to the address the outbound module checked.

const DEFAULT_PORT: Record<string, number> = { tls: 465, starttls: 587, none: 25 };

type TSmtpError = Error & { code?: string; responseCode?: number; response?: string; command?: string };

export async function smtpProbe(provider: Provider, values: TProbeValues, deadline: AbortSignal): Promise<TProbeOutcome> {
  if (!values.host) return failed("invalid_input", "Enter the SMTP host first.");
  const security = values.security || "starttls";
  const port = Number(values.port || DEFAULT_PORT[security] || 587);
  const target = await resolveOutboundTarget(values.host, port);
  const where = { host: target.host, port, timeoutMs: PROBE_TIMEOUT_MS };
  const sockets: net.Socket[] = [];
  const transport = nodemailer.createTransport({
    host: target.addresses[0]!.address,
    port,
    secure: security === "tls",
    requireTLS: security === "starttls",
    ignoreTLS: security === "none",
    auth: values.username ? { user: values.username, pass: values.password ?? "" } : undefined,
    connectionTimeout: PROBE_TIMEOUT_MS,
    greetingTimeout: PROBE_TIMEOUT_MS,
    socketTimeout: PROBE_TIMEOUT_MS,
    // TLS verifies the name the operator typed, though the socket goes to the checked address.
    tls: { ...(net.isIP(target.host) ? {} : { servername: target.host }), ca: outboundCas(), minVersion: "TLSv1.2" },
    logger: false,
    debug: false,
    // nodemailer's verify() opens a connection the transport cannot close: hand it our own socket to the
    // checked address instead, so the test's deadline can end it whatever step it is in.
    getSocket: (_options: unknown, callback: (err: Error | null, socket?: { connection: net.Socket }) => void) => {
      const socket = net.connect({ host: target.addresses[0]!.address, port, timeout: PROBE_TIMEOUT_MS });
      sockets.push(socket);
      socket.once("connect", () => {
        socket.setTimeout(0);
        callback(null, { connection: socket });
      });
      socket.once("timeout", () => socket.destroy(Object.assign(new Error(`connect ETIMEDOUT ${target.host}:${port}`), { code: "ETIMEDOUT" })));
      socket.once("error", (err) => callback(err));
    },
  } as Parameters<typeof nodemailer.createTransport>[0]);
  const close = () => sockets.forEach((s) => s.destroy());
  deadline.addEventListener("abort", close, { once: true });
  try {
    await transport.verify();
  } catch (err) {
    return smtpFailure(err as TSmtpError, where, values.username);
  } finally {
    deadline.removeEventListener("abort", close);
    close();
    transport.close();
  }
  const facts: Record<string, string> = {
    Security: security === "tls" ? "TLS (implicit), certificate verified" : security === "starttls" ? "STARTTLS, certificate verified" : "none (plain text)",
    Login: values.username ? `${values.username} (accepted)` : "none (no AUTH)",
  };
  return passed(`The SMTP server at ${target.host}:${port} accepted the ${values.username ? "login" : "connection"}.`, facts);
}

function smtpFailure(err: TSmtpError, where: { host: string; port: number; timeoutMs: number }, username: string | undefined): TProbeOutcome {
  const serverSaid = err.response ? `: ${err.response.replace(/\s+/g, " ").slice(0, 160)}` : "";
  if (err.code === "EAUTH") {
    return failed("rejected", `The SMTP server rejected the username or password${username ? ` for ${username}` : ""} (${err.responseCode ?? "AUTH failed"})${serverSaid}.`);
  }
  // nodemailer wraps socket and TLS errors (code ESOCKET, ETLS…); the original cause is in the message.
  const tls = /altname|Hostname\/IP does not match/i.test(err.message)
    ? "ERR_TLS_CERT_ALTNAME_INVALID"
    : /expired/i.test(err.message)
      ? "CERT_HAS_EXPIRED"
      : /certificate|self[- ]signed|unable to verify/i.test(err.message)
        ? "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
        : undefined;
  if (!tls && err.code === "ETLS") return failed("tls_failed", `The SMTP server at ${where.host}:${where.port} does not offer STARTTLS; choose Security "TLS" or "None".`);
  if (err.code === "EPROTOCOL" || err.code === "EENVELOPE") return failed("failed", `The SMTP server answered unexpectedly${serverSaid}.`);
  const socket = /\b(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ENOTFOUND|EPROTO)\b/.exec(err.message)?.[1];
  const code = tls ?? socket ?? (err.code === "ETIMEDOUT" || err.code === "ECONNECTION" ? "ETIMEDOUT" : err.code);
  const described = describeNetworkError(Object.assign(new Error("smtp"), { code }), where);
  return failed(described.code, described.message);
}
