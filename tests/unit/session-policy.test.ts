import { describe, expect, it } from "vitest";
import { SESSION_MAX_AGE_SECONDS, sessionEnd } from "@/lib/auth/session-policy";

const HOUR = 3_600_000;
const IDLE = 2 * HOUR;
const now = Date.UTC(2026, 11, 1, 12);
const claims = (over: Record<string, unknown> = {}) => ({ uid: "u1", sv: 3, authAt: now - HOUR, activeAt: now - 60_000, ...over });

describe("sessionEnd", () => {
  it("lets a session live while both clocks run", () => {
    expect(sessionEnd(claims(), now, IDLE)).toBeNull();
    expect(sessionEnd(claims({ activeAt: now - IDLE + 1000 }), now, IDLE)).toBeNull();
  });

  it("ends a session idle for longer than the idle timeout", () => {
    expect(sessionEnd(claims({ activeAt: now - IDLE - 1000 }), now, IDLE)).toBe("idle");
    expect(sessionEnd(claims({ activeAt: now - 10 * 60_000 }), now, 5 * 60_000)).toBe("idle");
  });

  it("ends a session past its absolute lifetime however active it is", () => {
    expect(SESSION_MAX_AGE_SECONDS).toBe(12 * 60 * 60);
    expect(sessionEnd(claims({ authAt: now - 12 * HOUR - 1000, activeAt: now }), now, IDLE)).toBe("expired");
    expect(sessionEnd(claims({ authAt: now + HOUR }), now, IDLE)).toBe("expired"); // issued in the future
  });

  it("ends a token without the claims (issued before sessions carried them)", () => {
    expect(sessionEnd({ uid: "u1" }, now, IDLE)).toBe("malformed");
    expect(sessionEnd(claims({ sv: "3" }), now, IDLE)).toBe("malformed");
  });
});
