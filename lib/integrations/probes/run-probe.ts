import "server-only";
import { logger } from "@/lib/logger";
import type { Provider } from "@/lib/integrations/providers/types";
import { isOutboundError, outboundFailure } from "./failure-messages";
import { httpProbe } from "./http-probe";
import { oauthUserinfoProbe } from "./oauth-userinfo-probe";
import { postgresProbe } from "./postgres-probe";
import { s3Probe, sesProbe } from "./aws-probe";
import { sftpProbe } from "./sftp-probe";
import { smtpProbe } from "./smtp-probe";
import { seconds } from "@/lib/integrations/outbound/network-errors";
import { failed, PROBE_TIMEOUT_MS, type TProbe, type TProbeOutcome, type TProbeResult, type TProbeValues } from "./types";

// The probe engine: one entry point for every provider. It picks the probe
// the registry's `validate` descriptor names, times it, turns any failure
// into a readable result, and scrubs every secret from what it returns.

const PROBES: Record<Provider["validate"]["kind"], TProbe | null> = {
  http: httpProbe,
  aws_ses: sesProbe,
  s3: s3Probe,
  smtp: smtpProbe,
  postgresql: postgresProbe,
  sftp: sftpProbe,
  oauth_userinfo: oauthUserinfoProbe,
  none: null,
};

/** Whether the provider can be tested at all (every built-in can). */
export function hasProbe(provider: Provider): boolean {
  return PROBES[provider.validate.kind] !== null;
}

const SECRET_LIKE = new Set(["access_token", "refresh_token", "id_token"]);

function secretValues(provider: Provider, values: TProbeValues): string[] {
  const keys = new Set([...provider.setupFields.filter((f) => f.secret).map((f) => f.key), ...SECRET_LIKE]);
  return Object.entries(values)
    .filter(([k, v]) => keys.has(k) && v.length >= 4)
    .map(([, v]) => v)
    .sort((a, b) => b.length - a.length);
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join("••••");
  // Masked keys some providers echo back ("sk_test_****1234"): not shown either.
  return out.replace(/\S*\*{3,}\S*/g, "••••");
}

/**
 * One deadline for the whole test (connect, TLS, greeting, AUTH, query): the
 * libraries' own timeouts are per step or per idle socket, so a server that
 * answers one byte at a time would hold a test open for minutes. At the
 * deadline the probe's socket is closed and the test reports a timeout.
 */
async function withDeadline(probe: TProbe, provider: Provider, values: TProbeValues): Promise<TProbeOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<TProbeOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(failed("timeout", `The test did not finish within ${seconds(PROBE_TIMEOUT_MS)}: the server answered too slowly.`));
    }, PROBE_TIMEOUT_MS);
  });
  const work = probe(provider, values, controller.signal);
  work.catch(() => undefined); // after the deadline, a late failure is nobody's business
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the provider's probe against `values` (setup fields + secrets). Never throws, never returns a secret. */
export async function runProbe(provider: Provider, values: TProbeValues): Promise<TProbeResult> {
  const started = performance.now();
  const probe = PROBES[provider.validate.kind];
  let outcome: TProbeOutcome;
  try {
    outcome = probe ? await withDeadline(probe, provider, values) : failed("no_probe", `${provider.name} connections cannot be tested.`);
  } catch (err) {
    if (isOutboundError(err)) outcome = outboundFailure(err);
    else {
      // Names only: the error text of a library may quote what it was given.
      logger.warn("connection test failed unexpectedly", { provider: provider.key, error: (err as Error)?.name ?? "unknown" });
      outcome = failed("failed", "The test could not be completed because of an unexpected error.");
    }
  }
  const secrets = secretValues(provider, values);
  const facts = Object.fromEntries(Object.entries(outcome.facts).map(([k, v]) => [k, scrub(v, secrets)]));
  const account = outcome.account
    ? Object.fromEntries(Object.entries(outcome.account).filter(([, v]) => v).map(([k, v]) => [k, scrub(v!, secrets)]))
    : undefined;
  return {
    ok: outcome.ok,
    code: outcome.code,
    message: scrub(outcome.message, secrets),
    durationMs: Math.max(0, Math.round(performance.now() - started)),
    facts,
    ...(account && Object.keys(account).length > 0 ? { account } : {}),
  };
}
