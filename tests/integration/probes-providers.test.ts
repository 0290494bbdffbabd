import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProbe, type TProbeResult } from "@/lib/integrations/probes";
import { builtInProviders } from "@/lib/integrations/providers/built-in";
import { getProvider } from "@/lib/integrations/providers/registry";
import { RIGHT, startApiStandIns, type TApiStandIn } from "@/tests/support/standins/api-providers";
import { AWS_RIGHT, startAwsStandIns, type TAwsStandIn } from "@/tests/support/standins/aws";
import { SFTP_USER, startSftpStandIn, type TSftpStandIn } from "@/tests/support/standins/sftp";
import { SMTP_USER, startSmtpStandIn, type TSmtpStandIn } from "@/tests/support/standins/smtp";
import { STANDIN_CA_FILE } from "@/tests/support/standins/tls-fixture";
import { createProbeRole, type TProbeRole } from "@/tests/support/standins/postgres";
import { installLoopbackGuard } from "@/tests/support/loopback-guard";
import { setEnv } from "@/tests/support/test-db";

// Every built-in provider's probe against a real local stand-in: the right
// credentials pass with facts, wrong ones fail with the provider-shaped
// message. The table must name every built-in provider: a provider added
// without a probe test fails the first test below.

installLoopbackGuard();

let api: TApiStandIn;
let aws: TAwsStandIn;
let smtp: TSmtpStandIn;
let sftp: TSftpStandIn;
let pgRole: TProbeRole;

beforeAll(async () => {
  [api, aws, smtp, sftp, pgRole] = await Promise.all([startApiStandIns(), startAwsStandIns(), startSmtpStandIn(), startSftpStandIn(), createProbeRole()]);
  setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", `${api.baseUrls},${aws.baseUrls}`);
  setEnv("SWITCHBOARD_OUTBOUND_ALLOW", [api.port, aws.port, smtp.port, sftp.port, pgRole.port].map((p) => `127.0.0.1:${p}`).join(","));
  setEnv("SWITCHBOARD_OUTBOUND_CA_FILE", STANDIN_CA_FILE);
});
afterAll(async () => {
  setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", undefined);
  setEnv("SWITCHBOARD_OUTBOUND_ALLOW", undefined);
  setEnv("SWITCHBOARD_OUTBOUND_CA_FILE", undefined);
  await Promise.all([api?.close(), aws?.close(), smtp?.close(), sftp?.close(), pgRole?.drop()]);
});

type TCase = {
  right: () => Record<string, string>;
  wrong: () => Record<string, string>;
  /** A subset of the facts the right credentials must produce. */
  facts: Record<string, unknown>;
  /** The failure message for the wrong credentials. */
  failure: RegExp;
};

const wrongKey = (p: string, field = "api_key") => () => ({ ...RIGHT[p], [field]: `wrong-${p}-credential` });
const http = (p: string, facts: Record<string, string>, failure: RegExp, field?: string): TCase => ({ right: () => ({ ...RIGHT[p] }), wrong: wrongKey(p, field), facts, failure });
const smtpValues = (password: string) => ({ host: "127.0.0.1", port: String(smtp.port), security: "starttls", username: SMTP_USER.username, password });
const pgValues = (user: string) => ({ host: "127.0.0.1", port: String(pgRole.port), database: pgRole.database, user, password: pgRole.password, sslmode: "disable" });
const sftpValues = (extra: Record<string, string>) => ({ host: "127.0.0.1", port: String(sftp.port), username: SFTP_USER.username, ...extra });
const awsValues = (secret: string) => ({ access_key_id: AWS_RIGHT.access_key_id, secret_access_key: secret, region: AWS_RIGHT.region });

const CASES: Record<string, TCase> = {
  openai: http("openai", { "Models available": "3" }, /^OpenAI rejected the API key \(401\): Incorrect API key provided\.$/),
  anthropic: http("anthropic", { "Models available": "2" }, /^Anthropic rejected the API key \(401\): invalid x-api-key\.$/),
  openrouter: http("openrouter", { "Credit used": "25.5", "Credit limit": "100", "Credit remaining": "74.5", "Free tier": "no" }, /^OpenRouter rejected the API key \(401\): No auth credentials found\.$/),
  mistral: http("mistral", { "Models available": "3" }, /^Mistral AI rejected the API key \(401\): Unauthorized\.$/),
  deepseek: http("deepseek", { Balance: "50.00", Currency: "USD", "Balance usable for API calls": "yes" }, /^DeepSeek rejected the API key \(401\): Authentication Fails/),
  xai: http("xai", { "Key name": "Switchboard key", Team: "team-42" }, /^xAI refused the request \(400\): Incorrect API key provided: •••• You can obtain/),
  gemini: http("gemini", { "Models available": "2" }, /^Google Gemini refused the request \(400\): API key not valid/),
  groq: http("groq", { "Models available": "3" }, /^Groq rejected the API key \(401\): Invalid API Key\.$/),
  elevenlabs: http("elevenlabs", { Plan: "creator", "Characters used": "1200", "Character limit": "100000" }, /^ElevenLabs rejected the API key \(401\): Invalid API key\.$/),
  // A wrong token of the right shape reaches Telegram (a malformed one is refused before any call: below).
  telegram: {
    ...http("telegram", { Bot: "Switchboard Bot", Username: "switchboard_test_bot" }, /^Telegram rejected the bot token \(401\): Unauthorized\.$/, "bot_token"),
    wrong: () => ({ bot_token: "123456789:BB-wrong-telegram-token_0123456789abc" }),
  },
  discord: http("discord", { Bot: "switchboard-bot" }, /^Discord rejected the bot token \(401\): 401: Unauthorized\.$/, "bot_token"),
  twilio: http("twilio", { Account: "Acme Production", Type: "Full", Status: "active" }, /^Twilio rejected the API key secret or auth token \(401\): Authenticate\.$/, "key_secret"),
  sendgrid: http("sendgrid", { "Scopes granted": "3" }, /^SendGrid rejected the API key \(401\): authorization required\.$/),
  brevo: http("brevo", { Company: "Acme", Plan: "free", Credits: "300" }, /^Brevo rejected the API key \(401\): Key not found\.$/),
  postmark: http("postmark", { Server: "Acme transactional", "Delivery type": "Live" }, /^Postmark rejected the server API token \(401\): The Server Token you provided/),
  stripe: http("stripe", { "Live mode": "no", Available: "12345", Currency: "usd" }, /^Stripe rejected the secret key \(401\)\.$/),
  hubspot: http("hubspot", { "Portal id": "2519445", "Account type": "STANDARD" }, /^HubSpot rejected the private app access token \(401\): Authentication credentials not found\.$/),
  github_token: http("github_token", { Login: "octo-ada", Name: "Ada Octo" }, /^GitHub \(personal access token\) rejected the personal access token \(401\): Bad credentials\.$/),
  generic_api_key: {
    right: () => ({ ...RIGHT.generic_api_key, base_url: api.genericBaseUrl }),
    wrong: () => ({ ...RIGHT.generic_api_key, base_url: api.genericBaseUrl, api_key: "wrong-generic" }),
    facts: {},
    failure: /^Generic API key refused the API key \(403\); it may lack a permission this test needs\.$/,
  },
  google: http("google", { Email: "ada@acme.test", Name: "Ada Lovelace" }, /^Google rejected the access token \(401\)/, "access_token"),
  microsoft: http("microsoft", { Email: "ada@acme.onmicrosoft.test" }, /^Microsoft rejected the access token \(401\)/, "access_token"),
  slack: http("slack", { Workspace: "Acme", Name: "switchboard" }, /^Slack rejected the access token: invalid_auth\.$/, "access_token"),
  github: http("github", { Email: "ada@acme.test", Name: "Ada Octo" }, /^GitHub rejected the access token \(401\)/, "access_token"),
  generic_oauth2: {
    right: () => ({ access_token: RIGHT.generic_oauth2!.access_token!, userinfo_url: `${api.genericOAuthBase}/oauth2/userinfo` }),
    wrong: () => ({ access_token: "wrong-token", userinfo_url: `${api.genericOAuthBase}/oauth2/userinfo` }),
    facts: { Email: "ada@idp.test", Name: "ada" },
    failure: /^Generic OAuth 2\.0 rejected the access token \(401\)/,
  },
  aws_ses: {
    right: () => awsValues(AWS_RIGHT.secret_access_key),
    wrong: () => awsValues("wrong/secret"),
    facts: { "Production access": "yes", "Daily sending quota": "50000", "Sent in the last 24 h": "12" },
    failure: /^Amazon SES refused the access key \(403\); it may lack a permission this test needs: The request signature we calculated does not match/,
  },
  s3: {
    right: () => ({ ...awsValues(AWS_RIGHT.secret_access_key), endpoint: aws.s3Endpoint, bucket: "reports", addressing_style: "path" }),
    wrong: () => ({ ...awsValues("wrong/secret"), endpoint: aws.s3Endpoint, bucket: "reports", addressing_style: "path" }),
    facts: { "Buckets visible": "2", Owner: "acme-storage", Bucket: "reports (found)" },
    failure: /^S3-compatible storage refused the access key \(403\).*SignatureDoesNotMatch/,
  },
  smtp: {
    right: () => smtpValues(SMTP_USER.password),
    wrong: () => smtpValues("wrong smtp password"),
    facts: { Security: "STARTTLS, certificate verified", Login: `${SMTP_USER.username} (accepted)` },
    failure: /^The SMTP server rejected the username or password for mailer@acme\.test \(535\)/,
  },
  postgresql: {
    right: () => pgValues(pgRole.user),
    wrong: () => pgValues(`${pgRole.user}_missing`),
    facts: { Database: expect.stringMatching(/^sb_probe_[0-9a-f]+$/), User: expect.stringMatching(/^sb_probe_[0-9a-f]+$/), TLS: "no" },
    failure: /^PostgreSQL refused the login: role "sb_probe_[0-9a-f]+_missing" does not exist \(28000\)\.$/,
  },
  sftp: {
    right: () => sftpValues({ auth_method: "password", password: SFTP_USER.password }),
    wrong: () => sftpValues({ auth_method: "password", password: "wrong sftp password" }),
    facts: { "Home directory": SFTP_USER.home, Authentication: "password" },
    failure: /^The SSH server rejected the password for deploy\.$/,
  },
};

describe("every built-in provider has a probe test", () => {
  it("the table names exactly the built-in providers", () => {
    expect(Object.keys(CASES).sort()).toEqual(builtInProviders.map((p) => p.key).sort());
  });

  it("no built-in provider is left without a probe", () => {
    expect(builtInProviders.filter((p) => p.validate.kind === "none").map((p) => p.key)).toEqual([]);
  });
});

function expectNoSecret(result: TProbeResult, values: Record<string, string>): void {
  const text = JSON.stringify(result);
  for (const [k, v] of Object.entries(values)) {
    if (/key|token|secret|password|passphrase/.test(k) && !/_id$|_sid$|^key_sid$|header_name|header_prefix/.test(k)) expect(text).not.toContain(v);
  }
}

describe.each(Object.keys(CASES))("%s", (key) => {
  it("passes with the right credentials and reports facts", async () => {
    const provider = getProvider(key)!;
    const values = CASES[key]!.right();
    const result = await runProbe(provider, values);
    expect(result, result.message).toMatchObject({ ok: true, code: "ok", facts: CASES[key]!.facts });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expectNoSecret(result, values);
  });

  it("fails with the provider-shaped message for wrong credentials", async () => {
    const provider = getProvider(key)!;
    const values = CASES[key]!.wrong();
    const result = await runProbe(provider, values);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(CASES[key]!.failure);
    expectNoSecret(result, values);
  });
});

describe("Telegram's token in the path", () => {
  it("is sent literally, colon included (bot<id>:<secret>, not %3A)", async () => {
    const before = api.requests.length;
    const result = await runProbe(getProvider("telegram")!, { ...RIGHT.telegram });
    expect(result.ok, result.message).toBe(true);
    expect(api.requests.slice(before)).toEqual([{ provider: "telegram", path: `/bot${RIGHT.telegram!.bot_token}/getMe` }]);
  });

  it.each(["123456789%3AAA-right-telegram-token_0123456789abc", "123456789:short", "123:x/../../../other/endpoint_0123456789abcdef?", "not-a-token", "123456789:AA-right-telegram-token_0123456789abc#frag"])(
    "refuses the malformed token %j before any call",
    async (token) => {
      const before = api.requests.length;
      const result = await runProbe(getProvider("telegram")!, { bot_token: token });
      expect(result).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringMatching(/^Bot token must look like 123456789:AA…/) });
      expect(api.requests.length).toBe(before);
    },
  );
});
