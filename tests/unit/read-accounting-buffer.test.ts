import { describe, expect, it } from "vitest";
import { bufferedReadCounters, MAX_BUFFERED_COUNTERS, recordCredentialRead } from "@/lib/integrations/service/read-accounting";
import { captureConsole } from "../support/test-db";

// M4: counts that cannot be flushed (the database unreachable) stay in memory,
// but never more than MAX_BUFFERED_COUNTERS distinct key × connection × minute
// counters: past that a new counter is dropped, with a logged warning, and
// existing counters keep counting. Nothing here touches a database.

describe("read accounting buffer", () => {
  it("holds at most MAX_BUFFERED_COUNTERS counters and warns when it drops", () => {
    const logs = captureConsole();
    try {
      const actor = { type: "api_key" as const, id: "00000000-0000-7000-8000-000000000001", label: "k" };
      const now = Date.now();
      const read = (i: number) => recordCredentialRead({ orgId: "o", uuid: `u-${i}`, actor, provider: "openai", name: "n" }, now);
      for (let i = 0; i < MAX_BUFFERED_COUNTERS; i++) read(i);
      expect(bufferedReadCounters()).toBe(MAX_BUFFERED_COUNTERS);
      expect(logs.text()).not.toContain("dropping read counts");
      for (let i = 0; i < 10; i++) read(MAX_BUFFERED_COUNTERS + i); // new counters: dropped
      read(0); // an existing counter still counts
      expect(bufferedReadCounters()).toBe(MAX_BUFFERED_COUNTERS);
      expect(logs.text()).toContain("dropping read counts");
      expect(logs.text().match(/dropping read counts/g)).toHaveLength(1); // one warning a minute, not one per read
    } finally {
      logs.restore();
    }
  });
});
