import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runProbe, type TProbeResult } from "@/lib/integrations/probes";
import { getProvider } from "@/lib/integrations/providers/registry";
import { RIGHT, startApiStandIns, successBody, type TApiStandIn } from "@/tests/support/standins/api-providers";
import { AWS_ONE_BUCKET, AWS_RIGHT, startAwsStandIns, type TAwsStandIn } from "@/tests/support/standins/aws";
import { installLoopbackGuard } from "@/tests/support/loopback-guard";
import { setEnv } from "@/tests/support/test-db";

// The success rules that read the answer's body, on their failure side: the
// provider accepts the credential (2xx, right signature) but its answer says
// the key, the account or the bucket cannot be used. The stand-ins answer
// those shapes on demand; each probe must fail with the provider's own
// sentence, never pass, and never show a secret.

installLoopbackGuard();

let api: TApiStandIn;
let aws: TAwsStandIn;

beforeAll(async () => {
  [api, aws] = await Promise.all([startApiStandIns(), startAwsStandIns()]);
  setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", `${api.baseUrls},${aws.baseUrls}`);
  setEnv("SWITCHBOARD_OUTBOUND_ALLOW", [api.port, aws.port].map((p) => `127.0.0.1:${p}`).join(","));
});
afterEach(() => {
  api.answers.clear();
  aws.sesAccount.SendingEnabled = true;
  aws.sesAccount.ProductionAccessEnabled = true;
});
afterAll(async () => {
  setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", undefined);
  setEnv("SWITCHBOARD_OUTBOUND_ALLOW", undefined);
  await Promise.all([api?.close(), aws?.close()]);
});

const SECRET_KEYS = ["api_key", "bot_token", "key_secret", "secret_access_key"];

function expectNoSecret(result: TProbeResult, values: Record<string, string>): void {
  const text = JSON.stringify(result);
  for (const k of SECRET_KEYS) if (values[k]) expect(text).not.toContain(values[k]);
}

/** Runs the probe with the RIGHT credential and checks the stand-in was asked exactly once. */
async function probeRight(provider: string, values: Record<string, string> = { ...RIGHT[provider] }): Promise<TProbeResult> {
  const before = api.requests.length;
  const result = await runProbe(getProvider(provider)!, values);
  expect(api.requests.slice(before).map((r) => r.provider)).toEqual([provider]);
  expectNoSecret(result, values);
  return result;
}

describe("xAI: a key the API answers for, but reports unusable", () => {
  it.each([
    ["api_key_blocked", "xAI reports this API key as blocked."],
    ["api_key_disabled", "xAI reports this API key as disabled."],
    ["team_blocked", "xAI reports this key's team as blocked."],
  ])("fails when %s is true", async (flag, message) => {
    // The real answer echoes the key's name: plant the secret there too.
    api.answers.set("xai", { status: 200, body: { ...successBody("xai"), name: RIGHT.xai!.api_key, [flag]: true } });
    const result = await probeRight("xai");
    expect(result).toMatchObject({ ok: false, code: "check_failed", message });
  });

  it("passes again once every flag is false (the switch is what failed it)", async () => {
    expect(await probeRight("xai")).toMatchObject({ ok: true, code: "ok" });
  });
});

describe("Twilio: the credential works, but the account is not active", () => {
  it.each(["suspended", "closed"])("fails for an account whose status is %s", async (status) => {
    api.answers.set("twilio", { status: 200, body: { ...successBody("twilio"), status } });
    const result = await probeRight("twilio");
    expect(result).toMatchObject({ ok: false, code: "check_failed", message: "The Twilio account is not active (suspended or closed)." });
  });
});

describe("Telegram: a 200 answer with ok:false", () => {
  it("fails with Telegram's sentence, not a pass", async () => {
    api.answers.set("telegram", { status: 200, body: { ok: false, error_code: 401, description: "Unauthorized" } });
    const result = await probeRight("telegram");
    expect(result).toMatchObject({ ok: false, code: "check_failed", message: "Telegram did not accept the bot token." });
  });
});

describe("Amazon SES: sending disabled for the account", () => {
  const values = () => ({ ...AWS_RIGHT });

  it("fails with SendingEnabled:false and still shows the account's facts", async () => {
    aws.sesAccount.SendingEnabled = false;
    const verified = aws.verified;
    const result = await runProbe(getProvider("aws_ses")!, values());
    expect(aws.verified).toBe(verified + 1); // the signature was good: the body made it fail
    expect(result).toMatchObject({
      ok: false,
      code: "check_failed",
      message: "The access key works, but sending is disabled for this SES account.",
      facts: { "Sending enabled": "no", "Daily sending quota": "50000" },
    });
    expectNoSecret(result, values());
  });

  it("a sandbox account (no production access) still passes and says so", async () => {
    aws.sesAccount.ProductionAccessEnabled = false;
    const result = await runProbe(getProvider("aws_ses")!, values());
    expect(result).toMatchObject({ ok: true, code: "ok", facts: { "Production access": "no", "Sending enabled": "yes" } });
  });
});

describe("S3: the bucket rule", () => {
  const s3 = (keys: { access_key_id: string; secret_access_key: string; region: string }, bucket?: string) => ({
    access_key_id: keys.access_key_id,
    secret_access_key: keys.secret_access_key,
    region: keys.region,
    endpoint: aws.s3Endpoint,
    addressing_style: "path",
    ...(bucket === undefined ? {} : { bucket }),
  });

  it("fails when the named bucket is not among the buckets the key lists", async () => {
    const values = s3(AWS_RIGHT, "archive");
    const result = await runProbe(getProvider("s3")!, values);
    expect(result).toMatchObject({
      ok: false,
      code: "check_failed",
      message: 'The access key works, but the bucket "archive" is not among the 2 buckets it can list.',
      facts: { "Buckets visible": "2", Owner: "acme-storage" },
    });
    expect(result.facts).not.toHaveProperty("Bucket");
    expectNoSecret(result, values);
  });

  it("a key limited to one bucket: ListBuckets is AccessDenied, HeadBucket on its bucket passes", async () => {
    const values = s3(AWS_ONE_BUCKET, AWS_ONE_BUCKET.bucket);
    const verified = aws.verified;
    const result = await runProbe(getProvider("s3")!, values);
    expect(result, result.message).toMatchObject({
      ok: true,
      code: "ok",
      message: 'S3-compatible storage accepted the access key for the bucket "reports" (it may not list other buckets).',
      facts: { Bucket: "reports (reachable)" },
    });
    expect(aws.verified).toBe(verified + 2); // ListBuckets, then the signed HeadBucket
    expectNoSecret(result, values);
  });

  it("a key limited to one bucket fails HeadBucket on another bucket with a 403 naming it", async () => {
    const values = s3(AWS_ONE_BUCKET, "uploads");
    const result = await runProbe(getProvider("s3")!, values);
    expect(result).toMatchObject({
      ok: false,
      code: "forbidden",
      message: 'S3-compatible storage refused the access key (403); it may lack a permission this test needs: no access to the bucket "uploads".',
    });
    expectNoSecret(result, values);
  });

  it("a key limited to one bucket, with no bucket named, reports ListBuckets' AccessDenied", async () => {
    const values = s3(AWS_ONE_BUCKET);
    const result = await runProbe(getProvider("s3")!, values);
    expect(result).toMatchObject({
      ok: false,
      code: "forbidden",
      message: "S3-compatible storage refused the access key (403); it may lack a permission this test needs: AccessDenied: Access Denied.",
    });
    expectNoSecret(result, values);
  });

  it("a wrong secret is not rescued by the HeadBucket fallback (only AccessDenied is)", async () => {
    const values = s3({ ...AWS_ONE_BUCKET, secret_access_key: "wrong/secret+one-bucket" }, AWS_ONE_BUCKET.bucket);
    const verified = aws.verified;
    const result = await runProbe(getProvider("s3")!, values);
    expect(result).toMatchObject({ ok: false, code: "forbidden", message: expect.stringMatching(/^S3-compatible storage refused the access key \(403\).*: SignatureDoesNotMatch: /) });
    expect(aws.verified).toBe(verified);
    expectNoSecret(result, values);
  });
});
