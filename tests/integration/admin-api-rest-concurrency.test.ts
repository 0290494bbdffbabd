import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/service/verify-chain";
import { getCredentials } from "@/lib/integrations/service";
import { adminRestFixture, expectNothingLeaked } from "../support/admin-rest";
import { auditRows, unwrap } from "../support/results";

// The admin integration API over real HTTP under concurrent writes, and
// between organizations. The route handlers on a local port over a real
// database: tests/support/admin-rest.ts.

const rest = adminRestFixture();
const { put, del, list, pa, secret, settingsOf, sent } = rest;

describe("REST: concurrency and isolation", () => {
  it("20 concurrent PUTs on one new key: one row, one activation, 19 rotations, an intact chain", async () => {
    const values = Array.from({ length: 20 }, (_, i) => secret(`race-${i}`));
    const answers = await Promise.all(values.map((value) => put(rest.adminA, "groq:race", { value })));
    expect(answers.map((a) => a.status)).toEqual(values.map(() => 200));
    const rows = (await settingsOf(rest.orgA.orgId)).filter((r) => r.key === "integration:groq:race");
    expect(rows).toHaveLength(1);
    const sets = (await auditRows(rest.orgA.orgId)).filter((r) => r.action === "set_integration_credentials" && r.targetId === "groq:race");
    expect(sets).toHaveLength(20);
    expect(sets.filter((r) => (r.metadata as { wasUpdate: boolean }).wasUpdate === false)).toHaveLength(1);
    expect(sets.filter((r) => (r.metadata as { wasUpdate: boolean }).wasUpdate === true)).toHaveLength(19);
    // In the chain's order the activation comes first: the audit order is the order the writes took effect.
    expect([...sets].sort((a, b) => a.seq - b.seq)[0]!.metadata).toEqual({ wasUpdate: false });
    expect(await verifyAuditChain(rest.orgA.orgId)).toMatchObject({ intact: true });
    expect(values).toContain(unwrap(await getCredentials(rest.orgA, "groq:race")).credentials.api_key);
  });

  it("PUTs and DELETEs racing on one key: every answer 200, and the audit trail replays to the row that is left", async () => {
    for (let round = 0; round < 2; round++) {
      const key = `openai:churn${round}`;
      // 10 PUTs at once, and DELETEs fired every few milliseconds until they are all answered, so removals land in every phase of a PUT.
      let settled = false;
      const puts = Promise.all(Array.from({ length: 10 }, (_, i) => put(rest.adminA, key, { value: secret(`churn-${round}-${i}`) }))).finally(() => (settled = true));
      const deletes: ReturnType<typeof del>[] = [];
      while (!settled && deletes.length < 60) {
        deletes.push(del(rest.adminA, key));
        await new Promise((r) => setTimeout(r, 8));
      }
      const answers = [...(await puts), ...(await Promise.all(deletes))];
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));

      // Replayed in the chain's order, each audit row must describe the state it found.
      const trail = (await auditRows(rest.orgA.orgId)).filter((r) => r.targetId === key).sort((a, b) => a.seq - b.seq);
      expect(trail).toHaveLength(answers.length);
      expect(trail.filter((r) => r.action === "set_integration_credentials")).toHaveLength(10);
      let present = false;
      for (const row of trail) {
        const meta = row.metadata as { wasUpdate?: boolean; wasNoop?: boolean };
        if (row.action === "set_integration_credentials") {
          expect(meta.wasUpdate, `round ${round}, seq ${row.seq}: set`).toBe(present);
          present = true;
        } else {
          expect(meta.wasNoop, `round ${round}, seq ${row.seq}: remove`).toBe(!present);
          present = false;
        }
      }
      const rows = (await settingsOf(rest.orgA.orgId)).filter((r) => r.key === `integration:${key}`);
      expect(rows).toHaveLength(present ? 1 : 0);
      // The row left (if any) opens: its ciphertext is bound to the uuid it has.
      if (present) expect(sent).toContain(unwrap(await getCredentials(rest.orgA, key)).credentials.api_key);
    }
    expect(await verifyAuditChain(rest.orgA.orgId)).toMatchObject({ intact: true });
  });

  it("an org-B key on org A's integrations answers exactly as for ones that do not exist, and changes nothing in A", async () => {
    await put(rest.adminA, "deepseek:only-a", { value: secret("only-a") });
    const aBefore = await settingsOf(rest.orgA.orgId);
    const strip = (c: { status: number; body: unknown }) => JSON.parse(JSON.stringify({ status: c.status, body: c.body }).replace(/"updatedAt":"[^"]+"/g, '"updatedAt":"T"').replace(/only-a|never-seen/g, "X"));

    expect(strip(await del(rest.adminB, "deepseek:only-a"))).toEqual(strip(await del(rest.adminB, "deepseek:never-seen")));
    const bList = (await list(rest.adminB)).body as { integrations: { key: string }[] };
    expect(bList.integrations.map((i) => i.key)).not.toContain("deepseek:only-a");
    expect(strip(await pa(rest.adminB, "get_connection_status", { connection: "deepseek:only-a" }))).toEqual(
      strip(await pa(rest.adminB, "get_connection_status", { connection: "deepseek:never-seen" })),
    );
    const aUuid = aBefore.find((r) => r.key === "integration:deepseek:only-a")!.uuid;
    // Status, body and every header but Date (two calls may straddle a second).
    const seen = (c: { status: number; body: unknown; headers: Headers }) => ({ status: c.status, body: c.body, headers: [...c.headers].filter(([name]) => name !== "date") });
    expect(seen(await pa(rest.adminB, "get_connection_status", { connection: aUuid }))).toEqual(
      seen(await pa(rest.adminB, "get_connection_status", { connection: "01900000-0000-7000-8000-000000000000" })),
    );
    const bConnections = (await pa(rest.adminB, "list_connections", {})).body as { connections: { uuid: string }[] };
    expect(bConnections.connections.map((c) => c.uuid)).not.toContain(aUuid);
    // Setting the same key from B creates B's own row: an activation in B, nothing in A.
    expect(strip(await put(rest.adminB, "deepseek:only-a", { value: secret("b-own") }))).toEqual(strip(await put(rest.adminB, "deepseek:never-seen", { value: secret("b-own-2") })));
    const bSets = (await auditRows(rest.orgB.orgId)).filter((r) => r.action === "set_integration_credentials");
    expect(bSets.map((r) => r.metadata)).toEqual([{ wasUpdate: false }, { wasUpdate: false }]);
    expect(await settingsOf(rest.orgA.orgId)).toEqual(aBefore);
    expect(unwrap(await getCredentials(rest.orgA, "deepseek:only-a")).credentials.api_key).toMatch(/^canary-only-a-/);
  });

  it("Power Automate set and remove with an org-B key on org A's integration answer as for one A never had, and change nothing in A", async () => {
    await put(rest.adminA, "mistral:pa-only-a", { value: secret("pa-only-a") });
    const aBefore = await settingsOf(rest.orgA.orgId);
    const aAudit = (await auditRows(rest.orgA.orgId)).length;
    const strip = (c: { status: number; body: unknown }) => JSON.parse(JSON.stringify({ status: c.status, body: c.body }).replace(/"updatedAt":"[^"]+"/g, '"updatedAt":"T"').replace(/pa-only-a|pa-never-seen/g, "X"));
    const remove = (key: string) => pa(rest.adminB, "admin_remove_integration_credentials", { integration_key: key });
    const set = (key: string) => pa(rest.adminB, "admin_set_integration_credentials", { integration_key: key, value: secret("pa-from-b") });

    expect(strip(await remove("mistral:pa-only-a"))).toEqual(strip(await remove("mistral:pa-never-seen")));
    expect(strip(await set("mistral:pa-only-a"))).toEqual(strip(await set("mistral:pa-never-seen")));
    // Removing again now removes B's own row, for both keys alike.
    expect(strip(await remove("mistral:pa-only-a"))).toEqual(strip(await remove("mistral:pa-never-seen")));
    expect(await settingsOf(rest.orgA.orgId)).toEqual(aBefore);
    expect(await auditRows(rest.orgA.orgId)).toHaveLength(aAudit);
    expect(unwrap(await getCredentials(rest.orgA, "mistral:pa-only-a")).credentials.api_key).toMatch(/^canary-pa-only-a-/);
  });
});

describe("REST: canary", () => {
  it("no credential value sent above comes back in a response, a log line, an audit or metering row, or a plaintext column", async () => {
    await expectNothingLeaked(rest, { sentMoreThan: 30 });
  });
});
