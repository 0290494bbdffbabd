import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopConnectionEvents } from "@/lib/events/service/listener";
import {
  addConnection,
  recordValidation,
  saveSetup,
  validateConnection,
  validateCredentials,
  type TServiceContext,
} from "@/lib/integrations/service";
import { auditRows, codeOf, settingsRow, unwrap } from "@/tests/support/results";
import { recordEvents, type TEventRecorder } from "@/tests/support/event-recorder";
import { installLoopbackGuard } from "@/tests/support/loopback-guard";
import { RIGHT, startApiStandIns, type TApiStandIn } from "@/tests/support/standins/api-providers";
import { createFirstOrg, createOrg, setEnv, setupTestDatabase, type TestDatabase } from "@/tests/support/test-db";

// validateCredentials persists nothing; validateConnection records through
// recordValidation, whose events and audit rows follow status changes only;
// both are rate-limited before any outbound work.

installLoopbackGuard();

let testDb: TestDatabase;
let ctx: TServiceContext;
let api: TApiStandIn;
let events: TEventRecorder;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ctx = await createFirstOrg();
  api = await startApiStandIns();
  setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", api.baseUrls);
  setEnv("SWITCHBOARD_OUTBOUND_ALLOW", `127.0.0.1:${api.port}`);
  setEnv("SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE", "1000");
  events = await recordEvents();
});
afterAll(async () => {
  events?.stop();
  await stopConnectionEvents();
  await api?.close();
  setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", undefined);
  setEnv("SWITCHBOARD_OUTBOUND_ALLOW", undefined);
  setEnv("SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE", undefined);
  await testDb.teardown();
});

const RIGHT_KEY = RIGHT.openai!.api_key!;
const newOpenAi = async (c: TServiceContext = ctx) => unwrap(await addConnection(c, { provider: "openai", name: `t-${randomUUID().slice(0, 8)}` })).uuid;

describe("validateCredentials (Test Connection on unsaved input)", () => {
  it("tests what was typed and persists nothing: no row change, no stamp, no audit row, no event", async () => {
    const uuid = await newOpenAi();
    await events.waitFor(() => events.changesOf(uuid).length === 1); // the database announces the new connection
    const before = await settingsRow(uuid);
    const auditBefore = (await auditRows(ctx.orgId)).length;
    const signalsBefore = events.signals.length;

    const wrong = unwrap(await validateCredentials(ctx, { provider: "openai", values: { api_key: "sk-wrong" }, uuid }));
    expect(wrong).toMatchObject({ ok: false, code: "rejected", message: "OpenAI rejected the API key (401): Incorrect API key provided." });
    const right = unwrap(await validateCredentials(ctx, { provider: "openai", values: { api_key: RIGHT_KEY } }));
    expect(right).toMatchObject({ ok: true, facts: { "Models available": "3" } });

    const after = await settingsRow(uuid);
    expect(after).toEqual(before);
    expect((await auditRows(ctx.orgId)).length).toBe(auditBefore);
    // A status change made now must be the next signal: nothing was published in between.
    unwrap(await recordValidation(ctx, { uuid, result: { ok: true, message: "sentinel" } }));
    await events.waitFor((s) => s.length > signalsBefore);
    expect(events.signals.slice(signalsBefore)).toEqual([{ type: "change", change: { orgId: ctx.orgId, uuid, status: "connected" } }]);
  });

  it("merges the stored secret server-side when the form leaves it blank, and not a cleared one", async () => {
    const uuid = await newOpenAi();
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: RIGHT_KEY } }));
    const merged = unwrap(await validateCredentials(ctx, { provider: "openai", values: { api_key: "" }, uuid }));
    expect(merged.ok).toBe(true);
    const cleared = await validateCredentials(ctx, { provider: "openai", values: { api_key: "" }, uuid, clear: ["api_key"] });
    expect(codeOf(cleared)).toBe("invalid_setup");
  });

  it("never merges another organization's secrets, nor another provider's", async () => {
    const uuid = await newOpenAi();
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: RIGHT_KEY } }));
    const other = await createOrg("Org B");
    expect(codeOf(await validateCredentials(other, { provider: "openai", values: { api_key: "" }, uuid }))).toBe("not_configured");
    expect(codeOf(await validateCredentials(ctx, { provider: "groq", values: { api_key: "" }, uuid }))).toBe("invalid");
    expect(codeOf(await validateCredentials(ctx, { provider: "openai", values: {}, uuid: "not-a-uuid" }))).toBe("invalid_uuid");
    expect(codeOf(await validateCredentials(ctx, { provider: "nope", values: {} }))).toBe("unknown_provider");
  });
});

describe("recordValidation", () => {
  it("same status twice → one event and one audit row; last_validated_at advances both times", async () => {
    const uuid = await newOpenAi();
    const audits = async () => (await auditRows(ctx.orgId)).filter((a) => a.action === "validated" && a.targetId === uuid);

    const first = unwrap(await recordValidation(ctx, { uuid, result: { ok: false, message: "OpenAI rejected the API key (401)." } }));
    expect(first).toMatchObject({ statusChanged: true, connection: { status: "error", validationStatus: "OpenAI rejected the API key (401)." } });
    await new Promise((r) => setTimeout(r, 5)); // distinct timestamps
    const second = unwrap(await recordValidation(ctx, { uuid, result: { ok: false, message: "OpenAI rejected the API key (401)." } }));
    expect(second.statusChanged).toBe(false);
    expect(Date.parse(second.connection.lastValidatedAt!)).toBeGreaterThan(Date.parse(first.connection.lastValidatedAt!));
    expect(await audits()).toHaveLength(1);

    // The change after it is the next event for this uuid: the repeat published nothing.
    const third = unwrap(await recordValidation(ctx, { uuid, result: { ok: true, message: "OpenAI accepted the API key.", account: { name: "Acme" } } }));
    expect(third).toMatchObject({ statusChanged: true, connection: { status: "connected", account: { name: "Acme" } } });
    await events.waitFor(() => events.changesOf(uuid).length >= 3);
    // "disconnected": the database announces the new connection itself.
    expect(events.changesOf(uuid)).toEqual(["disconnected", "error", "connected"]);
    const rows = await audits();
    expect(rows).toHaveLength(2);
    expect(rows[1]!.metadata).toMatchObject({ provider: "openai", from: "error", to: "connected" });
  });

  it("refuses another organization's connection and writes nothing", async () => {
    const uuid = await newOpenAi();
    const other = await createOrg("Org C");
    expect(codeOf(await recordValidation(other, { uuid, result: { ok: true, message: "x" } }))).toBe("not_configured");
    expect((await settingsRow(uuid))?.value).toMatchObject({ status: "disconnected" });
  });
});

describe("validateConnection (Test on a saved connection)", () => {
  it("tests the stored key, records the result, and recovers once the key is fixed", async () => {
    const uuid = await newOpenAi();
    expect(codeOf(await validateConnection(ctx, { uuid }))).toBe("invalid_setup"); // nothing saved yet
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-wrong-stored" } }));
    const failed = unwrap(await validateConnection(ctx, { uuid }));
    expect(failed).toMatchObject({ result: { ok: false, code: "rejected" }, connection: { status: "error" }, statusChanged: true });
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: RIGHT_KEY } }));
    const fixed = unwrap(await validateConnection(ctx, { uuid }));
    expect(fixed).toMatchObject({ result: { ok: true }, connection: { status: "connected", validationStatus: "OpenAI accepted the API key." } });
    expect(JSON.stringify(fixed)).not.toContain(RIGHT_KEY);
  });
});

describe("rate limits", () => {
  it("counts tests per operator before any outbound call, and says how long to wait", async () => {
    setEnv("SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE", "3");
    try {
      const operator = await createOrg("Org limited");
      const before = api.requests.length;
      const results = await Promise.all(Array.from({ length: 8 }, () => validateCredentials(operator, { provider: "openai", values: { api_key: RIGHT_KEY } })));
      const limited = results.filter((r) => !r.ok && r.error.code === "rate_limited");
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      expect(limited).toHaveLength(5);
      for (const r of limited) {
        if (r.ok) continue;
        expect(r.error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(r.error.message).toMatch(/^You have run too many connection tests\. Try again in \d+ s\.$/);
      }
      expect(api.requests.length - before).toBe(3);
    } finally {
      setEnv("SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE", "1000");
    }
  });

  it("caps the organization at 5× the per-operator quota across its operators", async () => {
    setEnv("SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE", "2");
    try {
      const org = await createOrg("Org busy");
      const operators = Array.from({ length: 6 }, (_, i) => ({ ...org, actor: { type: "user" as const, id: randomUUID(), label: `op${i}@x.test` } }));
      const results = await Promise.all(operators.flatMap((op) => [1, 2].map(() => validateConnection(op, { uuid: randomUUID() }))));
      const codes = results.map((r) => (r.ok ? "ok" : r.error.code));
      expect(codes.filter((c) => c === "rate_limited")).toHaveLength(2);
      expect(results.filter((r) => !r.ok && r.error.message.startsWith("Your organization has run too many"))).toHaveLength(2);
    } finally {
      setEnv("SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE", "1000");
    }
  });
});
